// `npm start` on PostgreSQL with WEB_CONCURRENCY above 1 (scripts/start.sh:
// the number of cores unless set): that many copies of the server
// (scripts/server.mjs) sharing one port, with Node's cluster module. One Node
// process renders pages on one core; the copies are instances as behind a
// load balancer (nothing of a user's lives in one process's memory), on one
// machine (docs/decisions/024).
//
// This process serves nothing itself. It
// - starts the workers with the same arguments (-p, -H, --keepAliveTimeout);
// - stops them all on SIGTERM or SIGINT, each draining its open requests as
//   one server does, and exits as one server does (143, 130) once they are gone;
// - exits with a worker's code when a worker fails to start (a wrong
//   ENCRYPTION_KEY, a database that refuses), stopping the others: a server
//   that cannot start must not half-run;
// - starts a new worker for one that dies later (at most 5 in a minute, then
//   it stops all and exits 1);
// - relays /api/metrics requests between workers, so a scrape through any of
//   them counts every worker's requests and jobs (lib/metrics/cluster.ts).
import cluster from "node:cluster";
import path from "node:path";

const log = (level, msg, fields = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  (level === "info" ? console.log : console.error)(line);
};

const count = Number(process.env.WEB_CONCURRENCY);
if (!Number.isInteger(count) || count < 1 || count > 256) {
  console.error("WEB_CONCURRENCY must be a whole number of server processes from 1 to 256");
  process.exit(1);
}

cluster.setupPrimary({ exec: path.join(import.meta.dirname, "server.mjs"), args: process.argv.slice(2) });

/** Workers that have said they started (keys checked, database reached: lib/server/start.ts). */
const ready = new Set();
let allReadyLogged = false;
/** The exit code once stopping (a signal, or a failed start), else null. */
let stopping = null;
const restarts = [];
const RESTARTS_PER_MINUTE = 5;

function start() {
  const worker = cluster.fork();
  worker.on("message", (msg) => onMessage(worker, msg));
  return worker;
}

function stopAll(code, signal = "SIGTERM") {
  if (stopping !== null) return;
  stopping = code;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  exitWhenDone();
}

function exitWhenDone() {
  if (stopping !== null && Object.keys(cluster.workers ?? {}).length === 0) process.exit(stopping);
}

cluster.on("exit", (worker, code, signal) => {
  const wasReady = ready.delete(worker.id);
  if (stopping !== null) return exitWhenDone();
  log("error", "cluster.worker_exited", { pid: worker.process.pid, code, signal, ready: wasReady });
  if (!wasReady) {
    // It never served: the next one would fail the same way. Its own message (stderr) says why.
    return stopAll(typeof code === "number" && code !== 0 ? code : 1);
  }
  const now = Date.now();
  restarts.push(now);
  while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
  if (restarts.length > RESTARTS_PER_MINUTE) {
    log("error", "cluster.giving_up", { restartsInAMinute: restarts.length });
    return stopAll(1);
  }
  start();
});

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => stopAll(signal === "SIGINT" ? 130 : 143, signal));

// Metrics across workers: one asks, the others answer with their registries as JSON, the asker aggregates.
const METRICS_TIMEOUT_MS = 2_000;
const pending = new Map();
let nextRequest = 0;

function onMessage(worker, msg) {
  if (!msg || typeof msg !== "object") return;
  if (msg.type === "sw:ready") {
    ready.add(worker.id);
    if (!allReadyLogged && ready.size === count) {
      allReadyLogged = true;
      log("info", "cluster.started", { workers: count, pids: Object.values(cluster.workers ?? {}).map((w) => w?.process.pid) });
    }
  } else if (msg.type === "sw:metrics:collect") {
    collect(worker, msg.id);
  } else if (msg.type === "sw:metrics:json") {
    const request = pending.get(msg.request);
    if (!request) return;
    if (Array.isArray(msg.metrics)) request.metrics.push(msg.metrics);
    if (--request.waiting === 0) finish(msg.request);
  }
}

function collect(asker, id) {
  const others = Object.values(cluster.workers ?? {}).filter((w) => w && w.id !== asker.id && w.isConnected() && ready.has(w.id));
  const request = nextRequest++;
  pending.set(request, { asker, id, metrics: [], waiting: others.length, timer: setTimeout(() => finish(request), METRICS_TIMEOUT_MS) });
  if (!others.length) return finish(request);
  for (const w of others) w.send({ type: "sw:metrics:get", request });
}

function finish(request) {
  const r = pending.get(request);
  if (!r) return;
  pending.delete(request);
  clearTimeout(r.timer);
  if (r.asker.isConnected()) r.asker.send({ type: "sw:metrics:others", id: r.id, metrics: r.metrics });
}

for (let i = 0; i < count; i++) start();
