// Live conversations: conditional polling against server-sent events fed by
// PostgreSQL LISTEN/NOTIFY, measured on two app instances on one throw-away
// PostgreSQL database (the load-balanced case). For each number of open
// tabs: the servers' CPU per second while nobody writes, requests and
// database transactions per second, and how long after a reply is stored
// every tab has it. Writes a Markdown table (decision 014 quotes it).
// With --app the instances are the production build under `next start`
// (build first) and only the shipped design, polling, is measured: what a
// request costs with Next's own routing and rendering machinery around it.
//   npx tsx --import ./scripts/shims.mjs bench/live/run.ts [--quick] [--app] [--tabs 10,50,200] [--seconds 15] [--out FILE]
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import postgres from "postgres";
import { appEnv, percentile, textArg, numArg, throwawayDatabase } from "../load/shared";

const quick = process.argv.includes("--quick");
const APP = process.argv.includes("--app");
const TABS = (textArg("tabs") ?? (quick ? "10,50" : "10,50,200")).split(",").map(Number);
const SECONDS = numArg("seconds", quick ? 6 : 15);
const MESSAGES = numArg("messages", quick ? 3 : 6);
const POLL_MS = 1_500;
const log = (msg: string) => console.error(`[live] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = appEnv();
const db = await throwawayDatabase("sw_bench_live");
process.env.DATABASE_URL = db.url;
Object.assign(process.env, env);
const instances: ChildProcess[] = [];

try {
  const { openDatabase, setDbHandle } = await import("@/db/client");
  setDbHandle(await openDatabase({ url: db.url }));
  const { createAccount } = await import("@/lib/services/accounts");
  const { createApiToken } = await import("@/lib/dal/api-tokens");
  const { createTicket } = await import("@/lib/services/support");
  const person = async (email: string, role: "user" | "agent") => {
    const a = await createAccount({ email, password: "bench-password-123", name: email.split("@")[0]!, role }, null);
    const actor = { kind: "user" as const, id: a.id, email: a.email, role: a.role, status: a.status };
    return { actor, token: (await createApiToken(actor, "bench")).token };
  };
  const requester = await person("requester@bench.test", "user");
  const agent = await person("agent@bench.test", "agent");
  const ticket = await createTicket(requester.actor, { subject: "Live bench", description: "x", category: "technical", priority: "medium" });

  const ports = [4311, 4312];
  for (const port of ports) {
    const childEnv = { ...process.env, ...env, DATABASE_URL: db.url, NODE_ENV: "production" as const, LOG_LEVEL: "warn" };
    if (APP) {
      // Its own process group: its CPU is every process in it, and it ends as one.
      const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(port), "-H", "127.0.0.1"], { env: childEnv, stdio: "ignore", detached: true });
      instances.push(child);
      for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/sign-in`).then((r) => r.ok, () => false)); i++) {
        if (i > 200 || child.exitCode !== null) throw new Error(`next start on ${port} did not become ready (build first)`);
        await sleep(300);
      }
      continue;
    }
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "bench/live/server.ts", String(port)], { env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
    instances.push(child);
    await new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on("line", (l) => l.includes('"ready"') && resolve());
      child.once("exit", (c) => reject(new Error(`instance on ${port} exited with ${c}`)));
    });
  }
  const bases = ports.map((p) => `http://127.0.0.1:${p}`);
  /** CPU milliseconds of every process in these process groups (Linux /proc; 100 ticks a second). */
  const groupCpu = (groups: number[]) => {
    let ticks = 0;
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
        if (groups.includes(Number(rest[2]))) ticks += Number(rest[11]) + Number(rest[12]);
      } catch {
        // gone meanwhile
      }
    }
    return ticks * 10;
  };
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  const xacts = async () => Number((await admin`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`)[0]!.n);
  const cpu = async () =>
    APP
      ? groupCpu(instances.map((c) => c.pid!))
      : (await Promise.all(bases.map(async (b) => ((await (await fetch(`${b}/stats`)).json()) as { cpuMs: number }).cpuMs))).reduce((a, b) => a + b, 0);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const livePath = `/api/support/tickets/${ticket.id}/live`;

  /** A reply through instance 0, every 2 s; answers when each was stored. */
  async function replies(count: number, stored: Map<string, number>) {
    for (let i = 0; i < count; i++) {
      await sleep(2000);
      const res = await fetch(`${bases[0]}/api/support/tickets/${ticket.id}/messages`, {
        method: "POST",
        headers: { ...auth(agent.token), "content-type": "application/json" },
        body: JSON.stringify({ message: `reply ${Date.now()}` }),
      });
      if (res.status !== 201) throw new Error(`reply answered ${res.status}`);
      stored.set(((await res.json()) as { id: string }).id, performance.now());
    }
  }

  const polls = { n: 0 };

  /** Idle, then replies: per phase the CPU, requests, transactions; then the delay until each tab saw each reply. */
  async function measure(name: string, tabs: number, open: (i: number, seen: (lastId: string) => void, stop: AbortSignal) => Promise<number>) {
    const stop = new AbortController();
    const arrivals: Array<{ id: string; at: number }> = [];
    const counts = Array.from({ length: tabs }, (_, i) => open(i, (id) => arrivals.push({ id, at: performance.now() }), stop.signal));
    await sleep(POLL_MS * 2);
    const [c0, x0, n0, t0] = [await cpu(), await xacts(), polls.n, performance.now()];
    await sleep(SECONDS * 1000);
    const [c1, x1, n1, t1] = [await cpu(), await xacts(), polls.n, performance.now()];
    const stored = new Map<string, number>();
    await replies(MESSAGES, stored);
    await sleep(POLL_MS * 2);
    stop.abort();
    await Promise.all(counts);
    const secs = (t1 - t0) / 1000;
    const delays = arrivals.filter((a) => stored.has(a.id)).map((a) => a.at - stored.get(a.id)!);
    const missing = tabs * MESSAGES - delays.length;
    return {
      name,
      tabs,
      cpuMsPerSec: (c1 - c0) / secs,
      dbXactPerSec: (x1 - x0) / secs,
      requestsPerSec: (n1 - n0) / secs,
      delays,
      missing,
    };
  }

  /** A tab that polls like the page: If-None-Match every 1.5 s. Answers how many requests it made. */
  const pollTab = async (i: number, seen: (id: string) => void, stop: AbortSignal) => {
    const base = bases[i % bases.length]!;
    const token = i % 2 ? agent.token : requester.token;
    await sleep(Math.random() * POLL_MS);
    let etag: string | null = null;
    let last: string | null | undefined;
    let n = 0;
    while (!stop.aborted) {
      const started = performance.now();
      const res: Response = await fetch(`${base}${livePath}`, { headers: { ...auth(token), ...(etag ? { "if-none-match": etag } : {}) } });
      n++;
      polls.n++;
      if (res.status === 200) {
        etag = res.headers.get("etag");
        const body = (await res.json()) as { lastMessageId: string | null };
        if (last !== undefined && body.lastMessageId !== last && body.lastMessageId) seen(body.lastMessageId);
        last = body.lastMessageId;
      } else await res.arrayBuffer();
      await sleep(Math.max(0, POLL_MS - (performance.now() - started)));
    }
    return n;
  };

  /** A tab holding an event stream open: one request, events as they come. */
  const sseTab = async (i: number, seen: (id: string) => void, stop: AbortSignal) => {
    const base = bases[i % bases.length]!;
    const token = i % 2 ? agent.token : requester.token;
    try {
      const res = await fetch(`${base}/sse/${ticket.id}`, { headers: auth(token), signal: stop });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let last: string | null | undefined;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!event.startsWith("data: ")) continue;
          const body = JSON.parse(event.slice(6)) as { lastMessageId: string | null };
          if (last !== undefined && body.lastMessageId !== last && body.lastMessageId) seen(body.lastMessageId);
          last = body.lastMessageId;
        }
      }
    } catch {
      // aborted at the end of the phase
    }
    return 1;
  };

  const rows: string[] = [];
  for (const tabs of TABS) {
    const designs = [
      [APP ? "conditional polling, next start" : "conditional polling (1.5 s, ETag/304)", pollTab],
      ["SSE + LISTEN/NOTIFY", sseTab],
    ] as const;
    for (const [name, open] of APP ? designs.slice(0, 1) : designs) {
      log(`${name}, ${tabs} tabs`);
      const r = await measure(name, tabs, open as typeof pollTab);
      const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
      rows.push(
        `| ${r.name} | ${tabs} | ${fmt(r.cpuMsPerSec)} ms/s (${fmt(r.cpuMsPerSec / tabs)} per tab) | ${fmt(r.requestsPerSec)} | ${fmt(r.dbXactPerSec)} | ${fmt(percentile(r.delays, 50))} / ${fmt(percentile(r.delays, 95))} / ${fmt(Math.max(...r.delays))} ms | ${r.missing} |`,
      );
    }
  }
  await admin.end();
  const out = [
    `Two instances on one PostgreSQL database, ${SECONDS} s idle per case, then ${MESSAGES} replies 2 s apart through one instance; tabs alternate between the instances and between the requester and an agent.`,
    "",
    "| design | open tabs | servers' CPU while idle | requests/s | DB transactions/s while idle | reply seen after (p50 / p95 / max) | replies missed |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
  console.log(out);
  const file = textArg("out");
  if (file) fs.writeFileSync(file, out);
} finally {
  for (const child of instances) {
    try {
      if (APP) process.kill(-child.pid!, "SIGTERM");
      else child.kill("SIGTERM");
    } catch {
      // already gone
    }
  }
  await sleep(300);
  await db.drop();
}
process.exit(0);
