import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { median } from "../harness";

/**
 * What the load tools share: options, a throw-away PostgreSQL database, the
 * app under `next start`, the browser's sign-in, and latency recording with
 * its percentile table.
 */

/** `--name value` from the command line as a number, else `def`. */
export function numArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

/** `--name value` from the command line as text, else undefined. */
export function textArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

export const PG_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Secrets for one run (the seeding process and the app must agree on them): fresh ones unless the environment has them. */
export function appEnv() {
  return {
    AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(33).toString("base64"),
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
  };
}

/** A database created for this run on the server at PG_URL; `drop()` removes it even with connections left. */
export async function throwawayDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  const name = `${prefix}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * `next start` (the build must exist) on loopback against `databaseUrl`
 * (empty: the embedded database in env.DATA_DIR), ready once /sign-in
 * answers. `cwd` runs another checkout's build (a baseline); `nodeArgs`
 * are options for Node itself (a profiler). The app is the leader of its
 * own process group, `pid`.
 */
export async function startApp(
  port: number,
  env: Record<string, string>,
  databaseUrl: string,
  cwd = ".",
  nodeArgs: string[] = [],
): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const base = `http://127.0.0.1:${port}`;
  // As `npm start` starts it in that checkout (scripts/start.sh, which replaces itself with the server), unless
  // node flags are given (the profiler: then its server script, or `next start` in a checkout that predates it).
  const script = !nodeArgs.length && fs.existsSync(path.join(cwd, "scripts", "start.sh"));
  const command = script ? "sh" : process.execPath;
  const server = fs.existsSync(path.join(cwd, "scripts", "server.mjs")) ? ["scripts/server.mjs"] : ["node_modules/next/dist/bin/next", "start"];
  const args = script ? ["scripts/start.sh"] : [...nodeArgs, ...server];
  const app = spawn(command, [...args, "-p", String(port), "-H", "127.0.0.1"], {
    cwd,
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
    stdio: "ignore",
    detached: true,
  });
  const stop = async () => {
    try {
      process.kill(-app.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1500));
  };
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/sign-in`).then((r) => r.ok, () => false)) return { base, pid: app.pid!, stop };
    if (i >= 100 || app.exitCode !== null) {
      await stop();
      throw new Error(`next start on port ${port} did not become ready (is there a build? run \`npm run build\`)`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The Auth.js credentials flow as a browser does it: CSRF token, then the callback; answers the session cookie. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/devices` }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in failed for ${email}: HTTP ${res.status}`);
  return session;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Answers a description of what is wrong with a response, or nothing when it is as expected. */
export type Check = (res: Response, body: string) => string | undefined;
const okOrNotModified: Check = (res) => (res.ok || res.status === 304 ? undefined : `HTTP ${res.status}`);

/** Server timing from a `Server-Timing` header (the sum of its `dur` values), when the app sends one. */
function serverTiming(res: Response): number | null {
  const header = res.headers.get("server-timing");
  if (!header) return null;
  const durs = [...header.matchAll(/dur=([\d.]+)/g)].map((m) => Number(m[1]));
  return durs.length ? durs.reduce((a, b) => a + b, 0) : null;
}

/** Latencies per request kind (whole response, body read), errors counted with a few samples kept. */
export class Recorder {
  readonly timings = new Map<string, number[]>();
  readonly serverTimings = new Map<string, number[]>();
  /**
   * The time each kind had requests in flight, for its throughput: closed
   * phases summed in `busyMs`, the current one in `spans` (a pause of over a
   * second between requests of a kind starts a new phase).
   */
  private readonly spans = new Map<string, { start: number; end: number }>();
  private readonly busyMs = new Map<string, number>();
  errors = 0;
  readonly errorSamples: string[] = [];

  private push(map: Map<string, number[]>, kind: string, ms: number) {
    const list = map.get(kind) ?? [];
    list.push(ms);
    map.set(kind, list);
  }

  error(kind: string, message: string) {
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(`${kind}: ${message}`);
  }

  async timed(kind: string, fn: () => Promise<Response>, check: Check = okOrNotModified): Promise<void> {
    const t = performance.now();
    try {
      const res = await fn();
      const body = await res.text();
      this.push(this.timings, kind, performance.now() - t);
      const st = serverTiming(res);
      if (st !== null) this.push(this.serverTimings, kind, st);
      const problem = check(res, body);
      if (problem) this.error(kind, problem);
    } catch (err) {
      this.push(this.timings, kind, performance.now() - t);
      this.error(kind, (err as Error).message);
    }
    const span = this.spans.get(kind);
    if (span && t > span.end + 1000) {
      this.busyMs.set(kind, (this.busyMs.get(kind) ?? 0) + (span.end - span.start));
      this.spans.set(kind, { start: t, end: performance.now() });
    } else this.spans.set(kind, { start: Math.min(span?.start ?? t, t), end: performance.now() });
  }

  /**
   * Requests per second of one kind over the time its requests were in
   * flight (the sum over separate phases, when a kind ran more than once).
   */
  rate(kind: string): number {
    const xs = this.timings.get(kind) ?? [];
    const span = this.spans.get(kind);
    const busy = ((this.busyMs.get(kind) ?? 0) + (span ? span.end - span.start : 0)) / 1000;
    return busy > 0 ? xs.length / busy : 0;
  }

  /** A markdown table: one row per kind; with a target, whether its p95 is under it. */
  table(label: string, targetMs?: number): string {
    const fmt = (v: number) => v.toFixed(1);
    const head = [label, "requests", "p50 ms", "p95 ms", "p99 ms", ...(targetMs === undefined ? [] : ["target", "met"]), "req/s"];
    const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
    const row = (kind: string, xs: number[], name = kind) => {
      const r = this.rate(kind);
      const rate = r > 0 ? r.toFixed(1) : "";
      const cells = [name, String(xs.length), fmt(median(xs)), fmt(percentile(xs, 95)), fmt(percentile(xs, 99))];
      if (targetMs !== undefined) cells.push(`p95 < ${targetMs} ms`, percentile(xs, 95) < targetMs ? "yes" : "no");
      cells.push(rate);
      lines.push(`| ${cells.join(" | ")} |`);
    };
    for (const [kind, xs] of this.timings) row(kind, xs);
    for (const [kind, xs] of this.serverTimings) row(kind, xs, `${kind} (Server-Timing)`);
    return lines.join("\n");
  }
}

/**
 * On the first start of an embedded database the demo's history is written
 * in the background; answers the administrator's session once the accounts
 * sign in and the history is complete (its last step is 24 hourly system
 * snapshots), so a measurement never shares the machine with the seeding.
 */
export async function waitForDemo(base: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const admin = await signIn(base, "admin@securewave.test", "demo-password").catch(() => "");
    if (admin) {
      const stats = (await (await fetch(`${base}/api/admin/stats`, { headers: { cookie: admin } })).json()) as { history?: unknown[] };
      if ((stats.history?.length ?? 0) >= 24) return admin;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the demo data never completed");
}
