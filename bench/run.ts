import fs from "node:fs";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { openDatabase, setDbHandle, closeDb } from "@/db/client";
import { resetEnv } from "@/lib/env";
import type { BenchCase, BenchContext, Result } from "./harness";
import { machine } from "./harness";
import { keysCase } from "./cases/keys";
import { peerCreateHttpCase, peerCreateServiceCase, serverConfigCase } from "./cases/peers";
import { ingestCase } from "./cases/telemetry";
import { rotationCase } from "./cases/rotation";
import { analyticsCase, supportCase } from "./cases/features";

/**
 * `npm run bench` — every case on PGlite and on PostgreSQL, written to
 * BENCHMARKS.md. `--quick` runs small sizes only to prove the cases still
 * run (CI); `--pg URL` picks the PostgreSQL server (default local);
 * `--only name` runs matching cases; `--db pglite|postgres` runs one database.
 */
const CASES: BenchCase[] = [keysCase, peerCreateServiceCase, peerCreateHttpCase, serverConfigCase, ingestCase, rotationCase, supportCase, analyticsCase];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pgUrl = flag("--pg") ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const only = flag("--only");
const dbOnly = flag("--db") as "pglite" | "postgres" | undefined;
/**
 * `--fillfactor N`: an experiment, not the schema: sets the fillfactor of the
 * tables every push rewrites (wireguard_peers, connection_sessions,
 * peer_counters) on the throw-away PostgreSQL database, to measure the
 * storage change proposed in docs/decisions/008.
 */
const fillfactor = flag("--fillfactor");
const out = flag("--out") ?? (quick ? null : "BENCHMARKS.md");

resetEnv({
  LOG_LEVEL: "warn",
  AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(33).toString("base64"),
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || randomBytes(32).toString("base64"),
  DATABASE_URL: "memory://",
});

const log = (msg: string) => console.error(`[bench] ${msg}`);

async function withDatabase(kind: "pglite" | "postgres", fn: () => Promise<void>): Promise<boolean> {
  if (kind === "pglite") {
    setDbHandle(await openDatabase({ url: "memory://" }));
    try {
      await fn();
    } finally {
      await closeDb();
    }
    return true;
  }
  const { default: postgres } = await import("postgres");
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  const name = `sw_bench_${Date.now().toString(36)}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    log(`PostgreSQL at ${pgUrl} not reachable (${(err as Error).message}): skipping its runs`);
    await admin.end();
    return false;
  }
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  setDbHandle(await openDatabase({ url: url.toString(), poolSize: 20 }));
  if (fillfactor) {
    const { getDb } = await import("@/db/client");
    const { sql } = await import("drizzle-orm");
    const db = await getDb();
    for (const t of ["wireguard_peers", "connection_sessions", "peer_counters"]) await db.execute(sql.raw(`alter table ${t} set (fillfactor = ${Number(fillfactor)})`));
  }
  try {
    await fn();
  } finally {
    await closeDb();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return true;
}

function format(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function table(results: Result[]): string {
  const lines = ["| case | db | result | baseline | ratio | target | met | growth with the data |", "|---|---|---|---|---|---|---|---|"];
  for (const r of results) {
    const ratio = r.baseline ? (r.unit.includes("/s") ? r.value / r.baseline.value : r.baseline.value / r.value) : null;
    lines.push(
      `| ${r.case} | ${r.db} | ${format(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline.label}: ${format(r.baseline.value)} ${r.unit}` : ""} | ${ratio ? `${format(ratio)}×` : ""} | ${r.target ?? ""} | ${r.met === undefined ? "" : r.met ? "yes" : "**no**"}${r.note ? ` (${r.note})` : ""} | ${r.growth ?? ""} |`,
    );
  }
  return lines.join("\n");
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(" / ");

async function main() {
  const loadBefore = loadavg();
  const results: Result[] = [];
  const selected = CASES.filter((c) => !only || c.name.includes(only));
  const ctxFor = (db: "pglite" | "postgres"): BenchContext => ({ quick, db, scale: (full, small) => (quick ? small : full), log });
  for (const c of selected.filter((c) => c.dbIndependent)) {
    log(`${c.name}…`);
    results.push(...(await c.run(ctxFor("pglite"))));
  }
  for (const db of ["pglite", "postgres"] as const) {
    if (dbOnly && db !== dbOnly) continue;
    await withDatabase(db, async () => {
      for (const c of selected.filter((c) => !c.dbIndependent)) {
        log(`${c.name} on ${db}…`);
        results.push(...(await c.run(ctxFor(db))).map((r) => (fillfactor && db === "postgres" ? { ...r, case: `${r.case} [fillfactor ${fillfactor}]` } : r)));
      }
    });
  }
  const report = [
    "# Benchmarks",
    "",
    `Machine: ${machine()}; load average (1/5/15 min) ${loadBefore} before, ${loadavg()} after (the machine is shared: other processes' load slows every number).`,
    `Mode: ${quick ? "quick (small sizes; proves the cases run)" : "full"}. Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
    "Fixtures are bulk-loaded and then ANALYZEd, as autovacuum would do in a running system; targets are for PostgreSQL.",
    "\"Growth\" measures each case again at a tenth of its size: the cost ratio for ten times the data (linear or better when at most ×10, with 25% for noise).",
    "",
    table(results),
    "",
  ].join("\n");
  console.log(table(results));
  if (out) fs.writeFileSync(out, report);
  const failed = results.filter((r) => r.met === false);
  if (failed.length) log(`${failed.length} case(s) below target`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
