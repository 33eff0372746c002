// `npm start`'s server (started by scripts/start.sh): Next's production
// server, the way `next start` runs it, with one addition — the downloads a
// user waits on (a device's config and its QR code) go straight to their
// route handlers.
//
// Next's router costs about 2 ms before any route runs on a 2-core machine
// (URL and header rules, the route lookup, its request and response
// adapters), more than the config download's own work (docs/decisions/023).
// The direct lane calls the very same handler Next would call for these
// paths (the route's exported GET, through withApi: same session or token
// check, ownership, request counting for the drain, metrics and errors),
// with the headers next.config.ts gives every /api answer
// (scripts/response-headers.mjs, shared by both).
// Everything else, and every method but GET, is Next's.
//
// Usage: node scripts/server.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]
// (PORT and HOSTNAME from the environment otherwise, as `next start`).
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

// As `next start`: production unless told otherwise, set before Next and React are loaded (they choose their builds by it).
process.env.NODE_ENV ||= "production";
const { default: next } = await import("next");
const { directLaneHeaders } = await import("./response-headers.mjs");
// Every request carries its TCP peer (scripts/peer-address.mjs) from the first one accepted: Next runs
// instrumentation.ts only after this server listens, and a request accepted before would have no peer address.
const { installPeerAddressHeader } = await import("./peer-address.mjs");
installPeerAddressHeader();

const require = createRequire(import.meta.url);
const dir = process.cwd();

function parseArgs(argv) {
  const opts = { port: Number(process.env.PORT) || 3000, hostname: process.env.HOSTNAME || undefined, keepAliveTimeout: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "-p" || flag === "--port") opts.port = Number(value());
    else if (flag === "-H" || flag === "--hostname") opts.hostname = value();
    else if (flag === "--keepAliveTimeout") opts.keepAliveTimeout = Number(value());
    else throw new Error(`unknown option ${argv[i]} (usage: node scripts/server.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS])`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error("the port must be a number from 0 to 65535");
  if (opts.keepAliveTimeout !== undefined && !(opts.keepAliveTimeout >= 0)) throw new Error("--keepAliveTimeout must be a number of milliseconds");
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

/** GET paths served by the direct lane, with the route (as built under .next/server/app) that serves each. */
const LANES = [
  { pattern: /^\/api\/vpn\/peers\/([^/]+)\/config$/, route: "api/vpn/peers/[id]/config" },
  { pattern: /^\/api\/vpn\/peers\/([^/]+)\/qr$/, route: "api/vpn/peers/[id]/qr" },
];

/**
 * The route's own GET handler, as Next loads it from the build (the same
 * module instance Next uses). Null, with a warning, when the build does not
 * have it in the expected shape: the path is then simply Next's.
 */
async function laneHandler(route) {
  try {
    const file = path.join(dir, ".next", "server", "app", route, "route.js");
    const mod = require(file).routeModule;
    await mod.ensureUserland();
    const get = mod.userland.GET;
    if (typeof get !== "function") throw new Error("no GET handler");
    return get;
  } catch (err) {
    console.warn(JSON.stringify({ time: new Date().toISOString(), level: "warn", msg: "server.lane_unavailable", route, error: String(err?.message ?? err) }));
    return null;
  }
}

/** next/server's NextRequest, loaded once Next has set up its request storage (it needs it at load). */
let NextRequest = null;
let nextHandle = null;
let lanes = [];
let ready;
const readyPromise = new Promise((resolve) => (ready = resolve));

/** The request as Next's router would hand it to the route: the same x-forwarded-* defaults, the same URL. */
function toNextRequest(req) {
  const h = req.headers;
  const https = h["x-forwarded-proto"] ? h["x-forwarded-proto"] === "https" : !!req.socket.encrypted;
  h["x-forwarded-host"] ??= h.host ?? opts.hostname ?? "localhost";
  h["x-forwarded-port"] ??= String(opts.port || (https ? 443 : 80));
  h["x-forwarded-proto"] ??= https ? "https" : "http";
  if (h["x-forwarded-for"] === undefined && req.socket.remoteAddress) h["x-forwarded-for"] = req.socket.remoteAddress;
  const headers = new Headers();
  for (const [name, value] of Object.entries(h)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const host = opts.hostname && opts.hostname !== "0.0.0.0" && opts.hostname !== "::" ? opts.hostname : "localhost";
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return new NextRequest(`${https ? "https" : "http"}://${hostPart}:${opts.port}${req.url}`, { method: req.method, headers });
}

async function serveLane(req, res, lane, pathname, id) {
  const response = await lane.handler(toNextRequest(req), { params: Promise.resolve({ id }) });
  const body = Buffer.from(await response.arrayBuffer());
  const out = {};
  for (const [name, value] of Object.entries(directLaneHeaders(pathname))) out[name.toLowerCase()] = value;
  // The handler's own headers win, as a route's headers win over next.config's in Next.
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  out["content-length"] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
}

async function onRequest(req, res) {
  try {
    if (!nextHandle) await readyPromise;
    if (req.method === "GET" && lanes.length) {
      const q = req.url.indexOf("?");
      const pathname = q < 0 ? req.url : req.url.slice(0, q);
      for (const lane of lanes) {
        const m = lane.pattern.exec(pathname);
        if (!m) continue;
        let id = m[1];
        try {
          id = decodeURIComponent(id);
        } catch {
          // A malformed escape is no device id: the route answers 404 as for any other unknown id.
        }
        return await serveLane(req, res, lane, pathname, id);
      }
    }
    await nextHandle(req, res);
  } catch (err) {
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end("Internal Server Error");
    } else res.destroy();
    console.error(`Failed to handle request for ${req.url}`);
    console.error(err);
  }
}

const server = http.createServer(onRequest);
if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout;
server.on("error", (err) => {
  console.error("Failed to start server");
  console.error(err);
  process.exit(1);
});

// As `next start`: close the listener, let the open requests finish, close Next, exit with 128 + the signal.
let app = null;
let cleanupStarted = false;
function cleanup(signal) {
  if (cleanupStarted) return;
  cleanupStarted = true;
  void (async () => {
    await new Promise((resolve) => server.close((err) => (err && console.error(err), resolve())));
    await app?.close().catch(console.error);
    process.exit(signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 128);
  })();
}

// Listen first, as `next start` does; requests wait until the app is prepared.
server.listen(opts.port, opts.hostname, async () => {
  const address = server.address();
  if (opts.port === 0 && address && typeof address === "object") opts.port = address.port;
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
    process.on("SIGINT", cleanup);
    process.on("SIGTERM", cleanup);
  }
  try {
    app = next({ dev: false, dir, hostname: opts.hostname, port: opts.port, httpServer: server });
    await app.prepare();
    const handle = app.getRequestHandler();
    ({ NextRequest } = require("next/server"));
    const loaded = await Promise.all(LANES.map(async (lane) => ({ ...lane, handler: await laneHandler(lane.route) })));
    lanes = loaded.filter((lane) => lane.handler);
    nextHandle = handle;
    ready();
    const url = `http://${opts.hostname ?? "localhost"}:${opts.port}`;
    console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "server.listening", url, directLane: lanes.map((l) => `/${l.route}`) }));
  } catch (err) {
    console.error("Failed to start server");
    console.error(err);
    process.exit(1);
  }
});
