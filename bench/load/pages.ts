import { sql } from "drizzle-orm";
import { openDatabase, setDbHandle, closeDb, getDb, rows, type Db } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { createAccount } from "@/lib/services/accounts";
import { stderrProgress, synth } from "../synth";
import { pool } from "../harness";
import { appEnv, numArg, textArg, Recorder, signIn, startApp, throwawayDatabase, type Check } from "./shared";
import { perRequest, readCpu, type CpuReading } from "./cpu";

/**
 * `npm run bench:pages [-- --users 100000 --days 30 --concurrency 50 --seconds 30]`:
 * the device page, the usage page and the admin dashboard under load, with
 * `--users` accounts of synthetic history (`data:synth`) behind them.
 *
 * Seeds a throw-away PostgreSQL database, starts `next start` on it (needs
 * `npm run build` first), signs in `--concurrency` distinct synthetic users
 * and an administrator, warms each page, then runs one phase per page:
 * `--concurrency` clients, each with its own session, requesting the page in
 * a loop for `--seconds` (pausing `--think` ms between requests; none by
 * default). Times are whole responses on loopback (rendering and
 * database included). Prints p50/p95/p99 per page against the target
 * (`--target`, ms at p95); exits 1 on any error (a status other than 200 or a
 * page without its content).
 */
const USERS = numArg("users", 2000);
const DAYS = numArg("days", 30);
const CONCURRENCY = numArg("concurrency", 50);
const SECONDS = numArg("seconds", 30);
const PORT = numArg("port", 3400);
const TARGET_MS = numArg("target", 200);
/** A client's pause after each answer, ms: 0 keeps all clients' requests in flight at once. */
const THINK_MS = numArg("think", 0);
/**
 * `--database URL`: a kept database already holding synthetic history
 * (`npm run cli -- data:synth`, with the same ENCRYPTION_KEY in the
 * environment), used as it is and not dropped; `--users` and `--days` then
 * say nothing.
 */
const KEPT = textArg("database");
const SYNTH_PASSWORD = "synthetic-user-password";
const ADMIN = { email: "pages-admin@load.test", password: "pages-admin-password" };

interface Page {
  path: string;
  admin: boolean;
  /** Markers only the rendered page has (a sign-in form or an error page has none). */
  markers: string[];
}

const PAGES: Page[] = [
  { path: "/devices", admin: false, markers: ['data-testid="devices-quota"', 'data-testid="device"'] },
  { path: "/usage", admin: false, markers: ['data-testid="usage-month"', 'data-testid="usage-charts"'] },
  { path: "/admin", admin: true, markers: ['data-testid="dashboard-charts"', 'data-testid="dashboard-top-data"'] },
];

const pageCheck =
  (page: Page): Check =>
  (res, body) => {
    if (res.status !== 200) return `HTTP ${res.status}${res.headers.get("location") ? ` to ${res.headers.get("location")}` : ""}`;
    const missing = page.markers.filter((m) => !body.includes(m));
    return missing.length ? `page without ${missing.join(", ")}` : undefined;
  };

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Synthetic history for USERS accounts plus one administrator on a fresh database. */
async function seed(db: Db) {
  const started = Date.now();
  console.error(`[pages] synthesizing ${USERS} users over ${DAYS} days`);
  const result = await synth(USERS, DAYS, { progress: stderrProgress(started, "[pages] ") });
  console.error(`[pages] ${result.users} users, ${result.devices} devices, ${result.sessions} sessions, ${result.tickets} tickets in ${seconds(started)}`);
  // A live database has statistics and visibility maps from autovacuum; a freshly loaded one gets them here.
  const vacuumed = Date.now();
  await db.execute(sql`vacuum (analyze)`);
  console.error(`[pages] vacuum (analyze) in ${seconds(vacuumed)}; seeding took ${seconds(started)} in all`);
}

/** Seeds (unless the database is a kept one), makes sure of the administrator, and answers a sample of synthetic emails, one per client. */
async function prepare(url: string, env: Record<string, string>, fresh: boolean): Promise<string[]> {
  resetEnv({ ...env, DATABASE_URL: url });
  setDbHandle(await openDatabase({ url }));
  const db = await getDb();
  if (fresh) await seed(db);
  const [admin] = await rows(db, sql`select 1 from users where email = ${ADMIN.email}`);
  if (!admin) await createAccount({ ...ADMIN, role: "admin" }, null);
  const sample = await rows<{ email: string }>(
    db,
    // Users with history (a connection at least), so that every client's usage page draws its charts: a synthetic
    // user may have none in a short history, and the check of each page's markers would fail by the luck of the draw.
    sql`select email from users u where email like 'synth-%' and status = 'active'
        and exists (select 1 from connection_sessions s where s.user_id = u.id)
        order by md5(id::text) limit ${CONCURRENCY}`,
  );
  await closeDb();
  if (sample.length < CONCURRENCY) throw new Error(`only ${sample.length} synthetic users for ${CONCURRENCY} clients`);
  return sample.map((r) => r.email);
}

/**
 * `--baseline DIR`: the same phases, in the same run, against the build in
 * another checkout (e.g. the previous commit, built there), each app alone
 * on the machine in turn, `--rounds` times alternating, so both see the
 * same machine and the same database.
 */
const BASELINE = textArg("baseline");
const ROUNDS = numArg("rounds", 1);

/** CPU ms per page of the app, the database and this client, summed over rounds: "<label> GET <path>" → totals and pages. */
const cpu = new Map<string, { total: CpuReading; pages: number }>();

/** Every page's phase against one build; rows are recorded as "<label> GET <path>". */
async function phases(rec: Recorder, label: string, cwd: string, env: Record<string, string>, url: string, emails: string[]) {
  const app = await startApp(PORT, env, url, cwd);
  try {
    const base = app.base;
    const clients = await Promise.all(emails.map(async (email) => ({ user: await signIn(base, email, SYNTH_PASSWORD), admin: await signIn(base, ADMIN.email, ADMIN.password) })));
    const get = (page: Page, client: (typeof clients)[number]) => () =>
      fetch(`${base}${page.path}`, { redirect: "manual", headers: { cookie: page.admin ? client.admin : client.user } });
    // Warm-up: every client renders every page once (compiled code, caches, connections), untimed but checked.
    const warm = new Recorder();
    await pool(clients, CONCURRENCY, async (c) => {
      for (const page of PAGES) await warm.timed(page.path, get(page, c), pageCheck(page));
    });
    if (warm.errors) throw new Error(`warm-up failed (${label}): ${warm.errorSamples.join("; ")}`);
    for (const page of PAGES) {
      console.error(`[pages] ${label}: GET ${page.path}, ${CONCURRENCY} concurrent clients for ${SECONDS} s`);
      const end = Date.now() + SECONDS * 1000;
      const kind = `${label} GET ${page.path}`;
      const pagesBefore = rec.timings.get(kind)?.length ?? 0;
      const before = readCpu(app.pid);
      await Promise.all(
        clients.map(async (c) => {
          while (Date.now() < end) {
            await rec.timed(`${label} GET ${page.path}`, get(page, c), pageCheck(page));
            if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS));
          }
        }),
      );
      const pages = (rec.timings.get(kind)?.length ?? 0) - pagesBefore;
      const used = perRequest(before, readCpu(app.pid), 1);
      const sum = cpu.get(kind) ?? { total: { app: 0, database: 0, client: 0 }, pages: 0 };
      cpu.set(kind, { total: { app: sum.total.app + used.app, database: sum.total.database + used.database, client: sum.total.client + used.client }, pages: sum.pages + pages });
    }
  } finally {
    await app.stop();
  }
}

async function main() {
  const env = appEnv();
  const db = KEPT ? { name: "", url: KEPT, drop: async () => {} } : await throwawayDatabase("sw_pages");
  const rec = new Recorder();
  try {
    const emails = await prepare(db.url, env, !KEPT);
    const builds: Array<[string, string]> = BASELINE ? [["baseline", BASELINE], ["this build", "."]] : [["this build", "."]];
    for (let round = 0; round < ROUNDS; round++) for (const [label, cwd] of builds) await phases(rec, label, cwd, env, db.url, emails);
  } finally {
    await db.drop();
  }
  console.log(rec.table("page", TARGET_MS));
  console.log("\nCPU per page (ms; /proc: the app's processes, the PostgreSQL server's, this client):\n\n| page | app | database | client | all |\n|---|---|---|---|---|");
  for (const [kind, { total, pages }] of cpu) {
    const per = perRequest({ app: 0, database: 0, client: 0 }, total, pages);
    console.log(`| ${kind} | ${per.app.toFixed(1)} | ${per.database.toFixed(1)} | ${per.client.toFixed(1)} | ${(per.app + per.database + per.client).toFixed(1)} |`);
  }
  if (BASELINE) {
    console.log("\n| page | baseline req/s | this build req/s | ratio |\n|---|---|---|---|");
    for (const page of PAGES) {
      const [a, b] = ["baseline", "this build"].map((l) => rec.rate(`${l} GET ${page.path}`));
      console.log(`| GET ${page.path} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× |`);
    }
  }
  console.log(`\n${KEPT ? "kept database" : `${USERS} users (${DAYS} days of history)`}, ${CONCURRENCY} concurrent clients per page${THINK_MS ? ` (${THINK_MS} ms think time)` : ""} for ${SECONDS} s each, on loopback: ${rec.errors} error(s)`);
  if (rec.errors) {
    console.error(rec.errorSamples.join("\n"));
    process.exit(1);
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
