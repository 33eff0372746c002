import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { appEnv, numArg, signIn, startApp, textArg, waitForDemo } from "../load/shared";
import { MARK_PAUSE_US, measuredWindow, summarize, type Summary } from "./summarize";

/**
 * `npm run bench:profile [-- --database URL] [--requests 300] [--out FILE]`
 * (after `npm run build`): where one request of each kind spends its CPU
 * time in the production server. Each kind runs in its own server (scripts/server.mjs)
 * under V8's sampling profiler (`--cpu-prof`): a warm-up, a pause, then
 * `--requests` requests one after another, and a pause. Only the samples
 * between the two pauses count (start-up, compilation and the warm-up stay
 * out); divided by the requests, they are the cost of one request by part
 * of the stack (session decoding, queries, React rendering, compression,
 * the framework).
 *
 * With `--database` (a PostgreSQL database of `data:synth` history, same
 * ENCRYPTION_KEY/AUTH_SECRET in the environment): the device page, the usage
 * page and the admin dashboard. Without: the embedded database of the first
 * start (demo data), and also the config download and the QR code.
 */
const DATABASE = textArg("database") ?? "";
const REQUESTS = numArg("requests", 300);
const WARMUP = 30;
const PORT = numArg("port", 3800);
const ADMIN = { email: "pages-admin@load.test", password: "pages-admin-password" };
const log = (msg: string) => console.error(`[profile] ${msg}`);

interface Target {
  name: string;
  who: "user" | "admin";
  path: (ctx: { deviceId: string }) => string;
}
const PAGES: Target[] = [
  { name: "GET /devices", who: "user", path: () => "/devices" },
  { name: "GET /usage", who: "user", path: () => "/usage" },
  { name: "GET /admin", who: "admin", path: () => "/admin" },
];
const DOWNLOADS: Target[] = [
  { name: "GET config", who: "user", path: ({ deviceId }) => `/api/vpn/peers/${deviceId}/config` },
  { name: "GET QR code", who: "user", path: ({ deviceId }) => `/api/vpn/peers/${deviceId}/qr` },
];

const env = appEnv();

/** The accounts to sign in as: a synthetic user with a device and an administrator (created if missing), or the demo's. */
async function accounts(): Promise<{ user: [string, string]; admin: [string, string] }> {
  if (!DATABASE) return { user: ["alice@securewave.test", "demo-password"], admin: ["admin@securewave.test", "demo-password"] };
  const { openDatabase, setDbHandle, closeDb, rows } = await import("@/db/client");
  const { resetEnv } = await import("@/lib/env");
  const { createAccount } = await import("@/lib/services/accounts");
  resetEnv({ ...env, DATABASE_URL: DATABASE });
  const handle = await openDatabase({ url: DATABASE });
  setDbHandle(handle);
  const [admin] = await rows(handle.db, sql`select 1 from users where email = ${ADMIN.email}`);
  if (!admin) await createAccount({ ...ADMIN, role: "admin" }, null);
  const [user] = await rows<{ email: string }>(
    handle.db,
    sql`select u.email from users u where u.email like 'synth-%' and u.status = 'active'
          and (select count(*) from wireguard_peers p where p.user_id = u.id and p.status = 'active') >= 2 order by u.email limit 1`,
  );
  await closeDb();
  if (!user) throw new Error("no synthetic user with devices in that database");
  return { user: [user.email, "synthetic-user-password"], admin: [ADMIN.email, ADMIN.password] };
}

/** One production server under the profiler: warm-up, then `count` requests of `target`; answers the profile's summary. */
async function profiled(target: Target, count: number, who: Awaited<ReturnType<typeof accounts>>): Promise<Summary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-prof-"));
  const dataDir = DATABASE ? "" : fs.mkdtempSync(path.join(os.tmpdir(), "sw-prof-data-"));
  const app = await startApp(PORT, { ...env, ...(dataDir ? { DATA_DIR: dataDir } : {}) }, DATABASE, ".", ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  try {
    const base = app.base;
    if (!DATABASE) await waitForDemo(base);
    const user = await signIn(base, ...who.user);
    const admin = await signIn(base, ...who.admin);
    const cookie = (t: Target) => (t.who === "admin" ? admin : user);
    const peers = (await (await fetch(`${base}/api/vpn/peers?limit=1`, { headers: { cookie: user } })).json()) as { items: { id: string }[] };
    const ctx = { deviceId: peers.items[0]!.id };
    const get = async (t: Target) => {
      const res = await fetch(`${base}${t.path(ctx)}`, { headers: { cookie: cookie(t), "accept-encoding": "gzip, deflate, br" } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${t.name}: HTTP ${res.status}`);
    };
    // Every kind is warmed in every run, so the runs differ only by the measured requests.
    for (let i = 0; i < WARMUP; i++) for (const t of [...PAGES, ...(DATABASE ? [] : DOWNLOADS)]) await get(t);
    const pause = () => new Promise((r) => setTimeout(r, MARK_PAUSE_US / 1000 + 300));
    await pause();
    for (let i = 0; i < count; i++) await get(target);
    await pause();
  } finally {
    await app.stop();
  }
  for (let i = 0; i < 50 && !fs.readdirSync(dir).some((f) => f.endsWith(".cpuprofile")); i++) await new Promise((r) => setTimeout(r, 200));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (!files.length) throw new Error("the server wrote no profile (did it exit cleanly?)");
  // The largest profile is the server's (next start may also leave one of its launcher).
  const biggest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
  const profile = JSON.parse(fs.readFileSync(biggest, "utf8"));
  const summary = summarize(profile, measuredWindow(profile));
  fs.rmSync(dir, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  return summary;
}

const who = await accounts();
const sections: string[] = [];
for (const target of [...PAGES, ...(DATABASE ? [] : DOWNLOADS)]) {
  log(`${target.name}: ${REQUESTS} requests`);
  const s = await profiled(target, REQUESTS, who);
  const lines = [`### ${target.name}`, "", "| where | ms per request | share |", "|---|---|---|"];
  const per = [...s.categories].map(([k, us]) => [k, us / 1000 / REQUESTS] as const).sort((a, b) => b[1] - a[1]);
  const total = per.reduce((a, [, v]) => a + v, 0);
  for (const [k, v] of per) if (v >= 0.005) lines.push(`| ${k} | ${v.toFixed(2)} | ${((100 * v) / total).toFixed(0)} % |`);
  lines.push(`| **all CPU** | **${total.toFixed(2)}** | |`, "");
  const fns = [...s.functions].map(([k, us]) => [k, us / 1000 / REQUESTS] as const).sort((a, b) => b[1] - a[1]);
  lines.push("Heaviest functions (self time):", "", "| function | ms per request |", "|---|---|");
  for (const [k, v] of fns.slice(0, 8)) lines.push(`| \`${k.slice(0, 100).replace(/\|/g, "/")}\` | ${v.toFixed(2)} |`);
  lines.push("");
  sections.push(lines.join("\n"));
  console.log(lines.join("\n"));
}
const out = textArg("out");
if (out) fs.writeFileSync(out, `${sections.join("\n")}\n`);
process.exit(0);
