import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import { CAPTURE, ROOT, SESSION_COOKIE, TEST_HEADER, type Exchange } from "./capture";

/**
 * The browser suite's server (playwright.config.ts `webServer.command`):
 * The production server (scripts/server.mjs) on a fresh embedded database, behind a recording proxy on the
 * port the tests use. Every log line of the app goes to CAPTURE.log and every
 * answer, with who asked and which test, to CAPTURE.exchanges, for the
 * secrets scan. The console shows what it showed before: warnings and errors.
 *
 * Usage: tsx e2e/support/server.ts <port>   (DATA_DIR and the app's settings from the environment)
 */

const HOST = "127.0.0.1";
const PORT = Number(process.argv[2]);
const BODY_LIMIT = 4 * 1024 * 1024;
const REQUEST_LIMIT = 64 * 1024;
/** Answers kept as metadata only: images, fonts and the like, and the build's own files (no runtime data in them). */
const BINARY = /^(image|font|audio|video)\/|octet-stream|zip|pdf/i;
const BUILD_ASSETS = "/_next/static/";
/** The app's own debug and info lines: recorded, not echoed. */
const QUIET = /^\{"time":"[^"]*","level":"(debug|info)"/;

if (!Number.isInteger(PORT) || PORT <= 0) throw new Error("usage: tsx e2e/support/server.ts <port>");
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR must name the suite's data directory");

/** The first `limit` bytes of a stream, and how long it was. */
class Capped {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer) {
    this.total += chunk.length;
    if (this.kept >= this.limit) return;
    const part = chunk.subarray(0, this.limit - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
  get truncated(): boolean {
    return this.total > this.kept;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The session cookie of a Cookie header (Auth.js splits a large one into `.0`, `.1`, …). */
function sessionOf(cookie: string | undefined): string | null {
  const jar = new Map<string, string>();
  for (const part of cookie?.split(/;\s*/) ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (jar.has(SESSION_COOKIE)) return jar.get(SESSION_COOKIE)!;
  const chunks: string[] = [];
  for (let i = 0; jar.has(`${SESSION_COOKIE}.${i}`); i++) chunks.push(jar.get(`${SESSION_COOKIE}.${i}`)!);
  return chunks.length ? chunks.join("") : null;
}

function bearerHashOf(authorization: string | undefined): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  return token ? createHash("sha256").update(token).digest("hex") : null;
}

async function end(stream: Writable): Promise<void> {
  stream.end();
  await once(stream, "finish");
}

fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(CAPTURE.dir, { recursive: true, force: true });
fs.mkdirSync(CAPTURE.dir, { recursive: true });
const logFile = fs.createWriteStream(CAPTURE.log);
const exchanges = fs.createWriteStream(CAPTURE.exchanges);
let recording = true;
let seq = 0;

const upstreamPort = await freePort();
const next = spawn(process.execPath, [path.join(ROOT, "scripts/server.mjs"), "-p", String(upstreamPort), "-H", HOST], {
  cwd: ROOT,
  env: process.env,
  stdio: ["ignore", "pipe", "pipe"],
});
fs.writeFileSync(CAPTURE.pid, String(next.pid));

function relay(from: Readable, to: NodeJS.WriteStream, echo: (line: string) => boolean): Promise<unknown> {
  const lines = readline.createInterface({ input: from, crlfDelay: Infinity });
  lines.on("line", (line) => {
    logFile.write(line + "\n");
    if (echo(line)) to.write(line + "\n");
  });
  return once(lines, "close");
}
// The first start seeds the demo's history behind the first requests: the suite starts once it is complete.
let seeded!: () => void;
const demoReady = new Promise<void>((resolve) => (seeded = resolve));
const relays = [
  relay(next.stdout, process.stdout, (line) => {
    if (line.includes('"msg":"db.seeded"')) seeded();
    return !QUIET.test(line);
  }),
  relay(next.stderr, process.stderr, () => true),
];

const proxy = http.createServer((req, res) => {
  const exchange = { seq: seq++, at: new Date().toISOString(), method: req.method ?? "GET", url: req.url ?? "/" };
  const test = first(req.headers[TEST_HEADER]);
  const headers = { ...req.headers };
  delete headers[TEST_HEADER];
  // Plain answers, so that what is recorded is what the app wrote.
  delete headers["accept-encoding"];
  const requestBody = new Capped(REQUEST_LIMIT);
  req.on("data", (chunk: Buffer) => requestBody.add(chunk));

  const upstream = http.request({ host: HOST, port: upstreamPort, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
    const contentType = String(answer.headers["content-type"] ?? "");
    const keep = !exchange.url.startsWith(BUILD_ASSETS) && !BINARY.test(contentType);
    const body = new Capped(keep ? BODY_LIMIT : 0);
    answer.on("data", (chunk: Buffer) => body.add(chunk));
    answer.pipe(res);
    answer.once("close", () => {
      if (!recording) return;
      const record: Exchange = {
        ...exchange,
        test: test ? decodeURIComponent(test) : null,
        status: answer.statusCode ?? 0,
        contentType,
        session: sessionOf(req.headers.cookie),
        bearerHash: bearerHashOf(req.headers.authorization),
        requestBody: requestBody.text(),
        headers: Object.entries(answer.headers)
          .filter(([name]) => name !== "set-cookie")
          .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(", ") : value}`)
          .join("\n"),
        body: keep ? body.text() : null,
        bytes: body.total,
        truncated: body.truncated,
      };
      exchanges.write(JSON.stringify(record) + "\n");
    });
  });
  upstream.on("error", (err) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`e2e proxy: ${err.message}`);
  });
  req.pipe(upstream);
});
await demoReady;
proxy.listen(PORT, HOST, () => {
  process.stdout.write(`e2e: http://${HOST}:${PORT} is the app behind a recording proxy; log and answers in ${path.relative(ROOT, CAPTURE.dir)}/\n`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => next.kill(signal));

next.on("exit", async (code, signal) => {
  await Promise.all(relays);
  recording = false;
  await Promise.all([end(exchanges), end(logFile)]);
  fs.writeFileSync(CAPTURE.stopped, JSON.stringify({ code, signal }));
  process.exit(code ?? 1);
});
