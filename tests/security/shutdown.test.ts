import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { closeDb, getDbHandle, openDatabase, rows, setDbHandle, type Db } from "@/db/client";
import { benchServer, bulkPeers } from "@/bench/fixtures";
import { makeDump } from "../support/dump";
import { makeUser, queuePendingEmails } from "../support/factories";
import { answerOf, PGLITE_SHUT_DOWN, pgliteState, sleep, watch, type Spawned } from "../support/spawned";

/**
 * SIGTERM to a real app process (tests/support/app-process.ts: the app's
 * start-up and signal handling in the order of `next start`) while a request
 * and a job step are in progress: both finish and are in the database, no
 * new connection is taken, the database is closed cleanly, and the process
 * exits 0. On the embedded database the test opens the data directory
 * itself afterwards; on PostgreSQL the app uses the test's database.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;

let dir: string;
let databaseUrl: string;
let admin: { token: string };
let agentServer: { agentToken: string };
let peerKey: string;
const EMAILS = 70; // more than one delivery batch

/** A stand-in for Resend's POST /emails that holds every answer until released: a slow provider. */
const resend = (() => {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let first!: () => void;
  const firstRequest = new Promise<void>((r) => (first = r));
  const fake = {
    received: 0,
    url: "",
    firstRequest,
    release,
    server: http.createServer((req, res) => {
      req.resume();
      req.on("end", async () => {
        const n = ++fake.received;
        first();
        await released;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `re_${n}` }));
      });
    }),
  };
  return fake;
})();

/** Runs `fn` on the app's database: the test's own on PostgreSQL, the reopened data directory on PGlite. */
async function onAppDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (onPostgres) return fn((await getDbHandle()).db);
  const handle = await openDatabase({ url: databaseUrl, migrate: false });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  await new Promise<void>((r) => resend.server.listen(0, "127.0.0.1", r));
  resend.url = `http://127.0.0.1:${(resend.server.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-shutdown-"));
  databaseUrl = onPostgres ? process.env.SW_TEST_DATABASE_URL! : path.join(dir, "pglite");
  // On PGlite the fixtures go into the app's data directory, a copy of the migrated template.
  if (!onPostgres) setDbHandle(await openDatabase({ url: databaseUrl, migrate: false, loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplate"))]) }));
  try {
    admin = await makeUser("admin");
    const server = await benchServer("10.211.0.0/16");
    agentServer = server;
    peerKey = (await bulkPeers(server.id, 1)).peers[0]!.publicKey;
    await queuePendingEmails(EMAILS);
  } finally {
    // Closed before the app opens the directory (one process per directory); nothing here uses this file's own database.
    if (!onPostgres) await closeDb();
  }
}, 120_000);

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
});

afterAll(async () => {
  resend.release();
  resend.server.closeAllConnections();
  await new Promise((r) => resend.server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

interface App extends Spawned {
  signal: (s: NodeJS.Signals) => void;
  base: string;
}

async function startApp(env: Record<string, string> = {}): Promise<App> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "tests/support/app-process.ts"], {
    env: { ...process.env, PORT: "0", DATABASE_URL: databaseUrl, DATA_DIR: dir, NODE_ENV: "production", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const watched = watch(child);
  const { port } = await watched.logged("test.listening");
  return { ...watched, signal: (s: NodeJS.Signals) => void child.kill(s), base: `http://127.0.0.1:${port}` };
}

const api = async (app: App, method: string, p: string, token: string) => {
  const res = await fetch(`${app.base}${p}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: await res.json() };
};

describe("graceful shutdown", () => {
  it("finishes a request in progress, takes no new connection, closes the database and exits 0", { timeout: 120_000 }, async () => {
    const app = await startApp();
    const body = makeDump([{ publicKey: peerKey, endpoint: "198.51.100.7:40000", handshake: new Date(), rx: 123_456, tx: 654_321 }]);
    const half = Math.floor(body.length / 2);
    const push = http.request(`${app.base}/api/agent/stats`, {
      method: "POST",
      agent: new http.Agent({ keepAlive: true }),
      headers: { authorization: `Bearer ${agentServer.agentToken}`, "content-type": "text/plain", "content-length": Buffer.byteLength(body) },
    });
    const pushed = answerOf(push);
    pushed.catch(() => {}); // a failure is reported where it is awaited
    push.write(body.slice(0, half));
    await app.logged("test.request"); // the request is with the server, its body half sent

    app.signal("SIGTERM");
    await app.logged("server.stopping");
    // Time for an app that wrongly exits at once to do so; one that waits passes however long this is.
    await sleep(1500);
    expect(app.hasExited()).toBe(false); // waiting for the request
    push.end(body.slice(half));
    const answer = await pushed;
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ peers: 1, unknown: 0, replay: false });

    // The answer closes its connection, and the listener takes no new one.
    expect(answer.headers.connection).toBe("close");
    await expect(fetch(`${app.base}/api/me`, { headers: { authorization: `Bearer ${admin.token}` } })).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });

    expect(await app.exited).toBe(0);
    expect(await app.logged("server.stopped")).toMatchObject({ signal: "SIGTERM", drained: true });
    if (!onPostgres) expect(await pgliteState(databaseUrl)).toBe(PGLITE_SHUT_DOWN);
    const counters = await onAppDatabase((db) =>
      rows<{ rx: string; tx: string }>(db, sql`select rx::text, tx::text from peer_counters where public_key = ${peerKey}`),
    );
    expect(counters).toEqual([{ rx: "123456", tx: "654321" }]);
  });

  it("lets the job step in progress finish and records the run as interrupted, not running", { timeout: 120_000 }, async () => {
    const app = await startApp({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: resend.url, EMAIL_FROM: "SecureWave <hello@securewave.test>" });
    const triggered = await api(app, "POST", "/api/admin/jobs/email/run", admin.token);
    expect(triggered.status).toBe(202);
    await resend.firstRequest; // a delivery step is in progress, waiting for the provider

    app.signal("SIGTERM");
    await app.logged("server.stopping");
    await sleep(1500);
    expect(app.hasExited()).toBe(false); // waiting for the step
    resend.release();

    expect(await app.exited).toBe(0);
    expect(await app.logged("server.stopped")).toMatchObject({ signal: "SIGTERM", drained: true });
    if (!onPostgres) expect(await pgliteState(databaseUrl)).toBe(PGLITE_SHUT_DOWN);
    const [runs, outbox] = await onAppDatabase(async (db) => [
      await rows<{ status: string; error: string | null; done: number | null }>(
        db,
        sql`select status, error, (progress->>'done')::int as done from job_runs where job = 'email'`,
      ),
      await rows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from email_outbox where status <> 'logged' group by 1 order by 1`),
    ]);
    // The step in progress at the signal delivered its whole batch and was recorded; no step started after it.
    const sent = outbox.find((r) => r.status === "sent")?.n ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(resend.received).toBe(sent);
    expect(outbox).toEqual([{ status: "pending", n: EMAILS - sent }, { status: "sent", n: sent }]);
    expect(runs.filter((r) => r.status === "running")).toEqual([]);
    // The run that delivered (the manual one, or a scheduled tick that took the job's lock first).
    expect(runs.filter((r) => r.done === sent)).toEqual([
      { status: "failed", error: expect.stringMatching(/^interrupted: the server stopped between two steps/), done: sent },
    ]);
  });
});
