import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openDatabase, setDbHandle, closeDb } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { createAccount } from "@/lib/services/accounts";
import { createApiToken } from "@/lib/dal/api-tokens";
import { createPeer } from "@/lib/services/peers";
import { createServer } from "@/lib/services/servers";
import { median } from "../harness";

/**
 * `npm run bench:load [-- --seconds 20 --users 40 --agents 4]`: many users
 * (sign-in, device page, config download, ticket list) and agents (stats
 * pushes every second) against `next start` on PostgreSQL, on loopback, for a
 * bounded time. Prints latency percentiles per request kind; exits 1 on any
 * error. Needs `npm run build` first.
 */
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg("seconds", 20);
const USERS = arg("users", 40);
const AGENTS = arg("agents", 4);
const PORT = arg("port", 3300);
const PG = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "load-test-password";

const env = { AUTH_SECRET: randomBytes(33).toString("base64"), ENCRYPTION_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "warn" };
const timings = new Map<string, number[]>();
let errors = 0;
const errorSamples: string[] = [];

async function timed(kind: string, fn: () => Promise<Response>, ok = (r: Response) => r.ok || r.status === 304) {
  const t = performance.now();
  try {
    const res = await fn();
    await res.arrayBuffer();
    if (!ok(res)) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${(err as Error).message}`);
  }
  const list = timings.get(kind) ?? [];
  list.push(performance.now() - t);
  timings.set(kind, list);
}

/** The Auth.js credentials flow as a browser does it: CSRF token, then the callback; answers the session cookie. */
async function signIn(email: string): Promise<string> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${BASE}/devices` }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in failed for ${email}: HTTP ${res.status}`);
  return session;
}

function dump(keys: string[], tick: number): string {
  const now = Math.floor(Date.now() / 1000);
  return ["(none)\t(none)\t51820\toff", ...keys.map((k, i) => `${k}\t(none)\t198.51.100.${i % 250}:5${i % 9999}\t10.0.0.1/32\t${now}\t${tick * 1000 + i}\t${tick * 4000 + i}\toff`)].join("\n") + "\n";
}

async function main() {
  const { default: postgres } = await import("postgres");
  const admin = postgres(PG, { max: 1, onnotice: () => {} });
  const name = `sw_load_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG);
  url.pathname = `/${name}`;
  resetEnv({ ...env, DATABASE_URL: url.toString() });
  setDbHandle(await openDatabase({ url: url.toString() }));
  console.error(`[load] preparing ${USERS} users and ${AGENTS} servers on ${name}`);
  const servers: Awaited<ReturnType<typeof createServer>>[] = [];
  for (let i = 0; i < AGENTS; i++) servers.push(await createServer({ kind: "system", job: "load" }, { name: `load-${i}`, region: "load", endpointHost: "load.vpn.test", endpointPort: 51820, ipv4Pool: `10.${150 + i}.0.0/16`, ipv6Pool: `fd${50 + i}::/64`, dns: "1.1.1.1", mtu: null }));
  const users: { email: string; token: string; peerId: string; publicKey: string; server: number }[] = [];
  for (let i = 0; i < USERS; i++) {
    const u = await createAccount({ email: `load${i}@load.test`, password: PASSWORD }, null);
    const actor = { kind: "user" as const, id: u.id, email: u.email, role: u.role, status: u.status };
    const peer = await createPeer(actor, { serverId: servers[i % AGENTS]!.server.id, deviceName: "phone", deviceType: "ios" });
    users.push({ email: u.email, token: (await createApiToken(actor, "load")).token, peerId: peer.id, publicKey: peer.publicKey, server: i % AGENTS });
  }
  await closeDb();

  const app = spawn("node_modules/.bin/next", ["start", "-p", String(PORT), "-H", "127.0.0.1"], { env: { ...process.env, ...env, DATABASE_URL: url.toString(), NODE_ENV: "production" }, stdio: "ignore", detached: true });
  try {
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${BASE}/sign-in`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const end = Date.now() + SECONDS * 1000;
    const userLoop = async (u: (typeof users)[number]) => {
      await timed("sign-in", async () => new Response(await signIn(u.email)));
      const cookie = await signIn(u.email);
      while (Date.now() < end) {
        await timed("GET /devices (page)", () => fetch(`${BASE}/devices`, { headers: { cookie } }));
        await timed("GET /api/vpn/peers/:id/config", () => fetch(`${BASE}/api/vpn/peers/${u.peerId}/config`, { headers: { authorization: `Bearer ${u.token}` } }));
        await timed("GET /api/support/tickets", () => fetch(`${BASE}/api/support/tickets`, { headers: { authorization: `Bearer ${u.token}` } }));
        await timed("GET /api/vpn/peers", () => fetch(`${BASE}/api/vpn/peers`, { headers: { authorization: `Bearer ${u.token}` } }));
      }
    };
    const agentLoop = async (s: number) => {
      const keys = users.filter((u) => u.server === s).map((u) => u.publicKey);
      let etag = "";
      for (let tick = 1; Date.now() < end; tick++) {
        await timed("GET /api/agent/config", async () => {
          const r = await fetch(`${BASE}/api/agent/config`, { headers: { authorization: `Bearer ${servers[s]!.agentToken}`, ...(etag ? { "if-none-match": etag } : {}) } });
          etag = r.headers.get("etag") ?? etag;
          return r;
        });
        await timed("POST /api/agent/stats", () => fetch(`${BASE}/api/agent/stats`, { method: "POST", headers: { authorization: `Bearer ${servers[s]!.agentToken}`, "content-type": "text/plain" }, body: dump(keys, tick) }));
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    await Promise.all([...users.map(userLoop), ...servers.map((_, i) => agentLoop(i))]);
  } finally {
    process.kill(-app.pid!, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  console.log(`| request | count | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|`);
  for (const [kind, xs] of timings) console.log(`| ${kind} | ${xs.length} | ${median(xs).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${pct(xs, 99).toFixed(1)} |`);
  console.log(`\n${USERS} users and ${AGENTS} agents for ${SECONDS} s on loopback: ${errors} error(s)`);
  if (errors) {
    console.error(errorSamples.join("\n"));
    process.exit(1);
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
