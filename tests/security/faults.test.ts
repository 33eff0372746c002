import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { executeJob } from "@/lib/jobs/execute";
import { rotationJob } from "@/lib/jobs/rotation";
import { benchServer, bulkPeers } from "@/bench/fixtures";

/**
 * A process killed in the middle of the rotation job, for real (SIGKILL), on
 * PostgreSQL: no device is left half-rotated, and the next run finishes the
 * work without rotating anyone twice.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("faults", () => {
  it("a rotation killed mid-run leaves every device fully rotated or untouched, and the next run finishes", { timeout: 240_000 }, async () => {
    const server = await benchServer("10.210.0.0/16");
    const { peers } = await bulkPeers(server.id, 1500, { due: true });
    const db = await getDb();
    const rotated = async () => Number((await rows<{ n: number }>(db, sql`select count(*)::int as n from wireguard_peers where server_id = ${server.id} and key_version > 1`))[0]!.n);

    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", "jobs:run", "rotation"], {
      env: { ...process.env, DATABASE_URL: process.env.SW_TEST_DATABASE_URL, NODE_ENV: "development", LOG_LEVEL: "" },
      stdio: "ignore",
    });
    let running = true;
    const exited = new Promise<number | null>((ok) =>
      child.on("exit", (code) => {
        running = false;
        ok(code);
      }),
    );
    // Kill it once at least one batch has committed, and before the last one (a run that ended first fails below).
    while (running && (await rotated()) === 0) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    await exited;
    const midway = await rotated();
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(peers.length);

    // Every device is in one of two whole states.
    const states = await rows<{ v: number; previous: number; leases: number; n: number }>(
      db,
      sql`select p.key_version as v,
            (select count(*) from peer_previous_keys k where k.peer_id = p.id)::int as previous,
            (select count(*) from ip_leases l where l.peer_id = p.id and l.state = 'held')::int as leases,
            count(*)::int as n
          from wireguard_peers p where p.server_id = ${server.id} group by 1, 2, 3 order by 1`,
    );
    expect(states.map(({ v, previous, leases }) => ({ v, previous, leases }))).toEqual(
      midway === peers.length ? [{ v: 2, previous: 1, leases: 2 }] : [{ v: 1, previous: 0, leases: 1 }, { v: 2, previous: 1, leases: 2 }],
    );

    // The next run rotates the rest, and nobody twice.
    const run = await executeJob(rotationJob, { trigger: "manual", runner: "embedded" });
    expect(run?.status).toBe("succeeded");
    expect(run?.counts.rotated).toBe(peers.length - midway);
    const versions = await rows<{ v: number; n: number }>(db, sql`select key_version as v, count(*)::int as n from wireguard_peers where server_id = ${server.id} group by 1`);
    expect(versions).toEqual([{ v: 2, n: peers.length }]);
  });
});
