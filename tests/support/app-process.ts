// The app in a process of its own, started and stopped the way `next start`
// does it, without needing a build: for tests that signal a real server.
//
//   node --import tsx --import ./scripts/shims.mjs tests/support/app-process.ts
//
// Listens on 127.0.0.1:$PORT (0: a free port), serves a few route handlers
// over node:http (request bodies stream into the handler, as under Next), and
// prints one JSON line {"msg":"test.listening","port":N} once ready and
// {"msg":"test.request",...} as each request arrives, so that a test can wait
// for those moments instead of guessing them. The app's own environment
// variables (DATABASE_URL, DATA_DIR, secrets, LOG_LEVEL…) apply as usual.
//
// In the order of next 16's start-server: listen; install the framework's
// SIGTERM/SIGINT handler (close the listener, wait for the open connections
// to end, exit with 128 + the signal's number); then run instrumentation's
// register(), which starts the app and installs its own handler.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { register } from "@/instrumentation";
import * as stats from "@/app/api/agent/stats/route";
import * as me from "@/app/api/me/route";
import * as jobRun from "@/app/api/admin/jobs/[name]/run/route";
import * as jobRunStatus from "@/app/api/admin/jobs/runs/[runId]/route";
import { toNextRequest, writeResponse, type RouteHandler } from "./http-adapter";

const ROUTES: [method: string, path: RegExp, handler: RouteHandler][] = [
  ["POST", /^\/api\/agent\/stats$/, stats.POST],
  ["GET", /^\/api\/me$/, me.GET],
  ["POST", /^\/api\/admin\/jobs\/(?<name>[a-z-]+)\/run$/, jobRun.POST],
  ["GET", /^\/api\/admin\/jobs\/runs\/(?<runId>[0-9a-f-]+)$/, jobRunStatus.GET],
];

const server = createServer(async (req, res) => {
  console.log(JSON.stringify({ msg: "test.request", method: req.method, url: req.url }));
  const method = req.method ?? "GET";
  const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
  const path = new URL(req.url ?? "/", origin).pathname;
  const route = ROUTES.find(([m, p]) => m === method && p.test(path));
  if (!route) return void res.writeHead(404).end();
  const body = method === "GET" || method === "HEAD" ? null : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  const params = path.match(route[1])!.groups ?? {};
  const response = await route[2](toNextRequest(req, body, origin), { params: Promise.resolve(params) });
  await writeResponse(res, response, method);
});

let cleanupStarted = false;
const frameworkCleanup = (signal: NodeJS.Signals) => {
  if (cleanupStarted) return;
  cleanupStarted = true;
  server.close(() => process.exit(signal === "SIGINT" ? 130 : 143));
};

server.listen(Number(process.env.PORT), "127.0.0.1", async () => {
  process.on("SIGINT", frameworkCleanup);
  process.on("SIGTERM", frameworkCleanup);
  process.env.NEXT_RUNTIME = "nodejs";
  await register();
  console.log(JSON.stringify({ msg: "test.listening", port: (server.address() as AddressInfo).port }));
});
