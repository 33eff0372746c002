import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, setDbHandle, closeDb, schema, type Db } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { vpnServers } from "@/db/schema";
import { machine } from "./harness";

/**
 * `npx tsx --import ./scripts/shims.mjs bench/explain.ts [scenario…] [--min-ms N] [--out docs/perf]`
 *
 * Runs the heavy statements of the benchmarked paths at full size on a
 * throw-away PostgreSQL database with auto_explain (ANALYZE, BUFFERS) sent to
 * the client as NOTICEs, and writes each captured plan to
 * `docs/perf/<scenario>.md`: the plans the services really execute, with
 * their real parameters, not hand-copied queries.
 */
resetEnv({
  LOG_LEVEL: "warn",
  AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(33).toString("base64"),
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || randomBytes(32).toString("base64"),
  DATABASE_URL: "memory://",
});

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const minMs = Number(flag("--min-ms") ?? "2");
const outDir = flag("--out") ?? "docs/perf";
const pgUrl = flag("--pg") ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const size = Number(flag("--size") ?? "10000");
/** `--no-stats`: skip ANALYZE after the setup, as the bench does (fresh tables, autovacuum may not have run). `--durations`: plans without per-node timing (no instrumentation overhead). */
const withStats = !args.includes("--no-stats");
const analyzeNodes = !args.includes("--durations");
const valued = new Set(["--min-ms", "--out", "--pg", "--size"]);
const wanted = args.filter((a, i) => !a.startsWith("--") && !valued.has(args[i - 1] ?? ""));

interface Captured {
  ms: number;
  text: string;
}
let capturing = false;
let captured: Captured[] = [];

function onNotice(n: { message?: string }) {
  if (!capturing || !n.message) return;
  const m = /^duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/.exec(n.message);
  if (m) captured.push({ ms: Number(m[1]), text: m[2]!.replace(/\s+$/, "") });
}

/** Shortens huge inline parameters (a 10,000-peer JSON dump) so the plan stays readable. */
function readable(text: string): string {
  return text.replace(/'(\[\{[^']{200,}?)'/g, (_, s: string) => `'${s.slice(0, 160)}… (${s.length} chars)'`).replace(/'([^'\n]{300,})'/g, (_, s: string) => `'${s.slice(0, 160)}… (${s.length} chars)'`);
}

type Scenario = { name: string; title: string; run: (db: Db) => Promise<void>; setup?: (db: Db) => Promise<unknown> };

async function scenarios(): Promise<Scenario[]> {
  const { benchServer, bulkPeers, bulkUsers } = await import("./fixtures");
  const { agentConfig } = await import("@/lib/services/server-config");
  const { ingestDump } = await import("@/lib/services/telemetry");
  const { findDuePeerIds, rotateBatch } = await import("@/lib/services/rotation");
  const { createPeer } = await import("@/lib/services/peers");
  const { dumpFor } = await import("./cases/telemetry");
  let state: Record<string, unknown> = {};
  return [
    {
      name: "server-config",
      title: `Cold server config build, ${size} peers`,
      setup: async () => {
        const server = await benchServer("10.213.0.0/16");
        await bulkPeers(server.id, size);
        state = { server };
      },
      run: async (db) => {
        const server = state.server as { id: string };
        await db.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(sql`${vpnServers.id} = ${server.id}`);
        await agentConfig(server.id, null);
      },
    },
    {
      name: "ingest",
      title: `Ingest of a ${size}-peer dump (second push: every peer has counters)`,
      setup: async () => {
        const server = await benchServer("10.214.0.0/16");
        const { peers } = await bulkPeers(server.id, size);
        const keys = peers.map((p) => p.publicKey);
        await ingestDump(server.id, dumpFor(keys, 0), new Date());
        state = { server, keys };
      },
      run: async () => {
        const { server, keys } = state as { server: { id: string }; keys: string[] };
        await ingestDump(server.id, dumpFor(keys, 1), new Date(Date.now() + 60_000));
      },
    },
    {
      name: "rotation",
      title: `One rotation batch of 200 out of ${size} due peers`,
      setup: async () => {
        const server = await benchServer("10.215.0.0/16");
        await bulkPeers(server.id, size, { due: true });
        state = { now: new Date() };
      },
      run: async () => {
        const now = state.now as Date;
        const ids = await findDuePeerIds(now);
        await rotateBatch(ids.slice(0, 200), now);
      },
    },
    {
      name: "analytics",
      title: `Rollups (30 days), system snapshot, abuse scan and admin dashboard over ${size} synthetic users`,
      setup: async () => {
        const { synth } = await import("./synth");
        await synth(size, 30, { snapshots: 0, rollups: false });
        state = { now: new Date() };
      },
      run: async () => {
        const { rollupDailyUsage } = await import("@/lib/services/analytics/rollup-daily");
        const { rollupUserStats } = await import("@/lib/services/analytics/rollup-users");
        const { snapshotSystemMetrics } = await import("@/lib/services/analytics/system-snapshot");
        const { scanAllUsers } = await import("@/lib/services/abuse");
        const { getAdminDashboard } = await import("@/lib/dal/analytics");
        const now = state.now as Date;
        const day = (d: Date) => d.toISOString().slice(0, 10);
        await rollupDailyUsage(day(new Date(now.getTime() - 31 * 86_400_000)), day(new Date(now.getTime() + 86_400_000)));
        await rollupUserStats({ now });
        await snapshotSystemMetrics(now);
        await scanAllUsers({ now });
        await getAdminDashboard({ kind: "user", id: "explain", email: "explain", role: "admin", status: "active" });
      },
    },
    {
      name: "create-peer",
      title: "Peer creation (two creates, each its own account, on a server with 2,000 peers)",
      setup: async () => {
        const server = await benchServer("10.216.0.0/16");
        await bulkPeers(server.id, 2000);
        state = { server, users: await bulkUsers(2) };
      },
      run: async () => {
        const { server, users } = state as { server: { id: string }; users: Awaited<ReturnType<typeof bulkUsers>> };
        for (const u of users) await createPeer(u, { serverId: server.id, deviceName: "explain", deviceType: "linux" });
      },
    },
  ];
}

async function main() {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  const name = `sw_explain_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const migrated = await openDatabase({ url: url.toString() });
  await migrated.close();
  for (const [k, v] of Object.entries({
    session_preload_libraries: "auto_explain",
    "auto_explain.log_min_duration": `${minMs}ms`,
    "auto_explain.log_analyze": analyzeNodes ? "on" : "off",
    "auto_explain.log_buffers": analyzeNodes ? "on" : "off",
    "auto_explain.log_timing": "on",
    "auto_explain.log_level": "notice",
  })) {
    await admin.unsafe(`alter database ${name} set ${k} = '${v}'`);
  }
  const client = postgres(url.toString(), { max: 20, onnotice: onNotice });
  const db = drizzle({ client, schema }) as unknown as Db;
  setDbHandle({ db, kind: "postgres", dataDir: null, url: url.toString(), close: () => client.end({ timeout: 5 }) });
  fs.mkdirSync(outDir, { recursive: true });
  try {
    for (const s of await scenarios()) {
      if (wanted.length && !wanted.includes(s.name)) continue;
      console.error(`[explain] ${s.name}: setting up`);
      await s.setup?.(db);
      if (withStats) await client.unsafe("analyze");
      captured = [];
      capturing = true;
      const t = performance.now();
      await s.run(db);
      const total = performance.now() - t;
      capturing = false;
      const plans = captured.sort((a, b) => b.ms - a.ms);
      const body = [
        `# ${s.title}`,
        "",
        `Generated by \`bench/explain.ts ${args.join(" ")}\` on PostgreSQL (auto_explain${analyzeNodes ? ", ANALYZE + BUFFERS" : ", durations only"}, statements over ${minMs} ms${withStats ? ", after ANALYZE" : ", no ANALYZE after the bulk load"}), ${new Date().toISOString().slice(0, 10)}.`,
        `Machine: ${machine()}. Wall time of the whole operation: ${total.toFixed(1)} ms; ${plans.length} statement(s) over the threshold, slowest first.`,
        "",
        ...plans.map((p, i) => [`## ${i + 1}. ${p.ms.toFixed(1)} ms`, "", "```", readable(p.text), "```", ""].join("\n")),
      ].join("\n");
      fs.writeFileSync(path.join(outDir, `${s.name}.md`), body);
      console.error(`[explain] ${s.name}: ${total.toFixed(1)} ms, ${plans.length} plan(s) → ${path.join(outDir, `${s.name}.md`)}`);
    }
  } finally {
    await closeDb();
    if (args.includes("--keep")) console.error(`[explain] kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
