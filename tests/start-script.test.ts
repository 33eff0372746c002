import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm start` (scripts/start.sh): tuned for memory on the embedded database,
 * for throughput on PostgreSQL, whether the database is named in the
 * environment or in a .env file; arguments pass through to the server (scripts/server.mjs).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const TUNED = "MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 node --optimize-for-size --max-semi-space-size=2 scripts/server.mjs -p 4000";
const PLAIN = "node scripts/server.mjs -p 4000";
const CORES = os.availableParallelism();
/** On PostgreSQL: one server process per core (scripts/cluster.mjs), unless WEB_CONCURRENCY says otherwise. */
const POSTGRES = CORES > 1 ? `WEB_CONCURRENCY=${CORES} node scripts/cluster.mjs -p 4000` : PLAIN;

function command(env: Record<string, string>, dotenv?: string): string {
  // A copy of the script in a scratch project, so a .env file can be put beside it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-start-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.copyFileSync(path.join(ROOT, "scripts", "start.sh"), path.join(dir, "scripts", "start.sh"));
  if (dotenv !== undefined) fs.writeFileSync(path.join(dir, ".env"), dotenv);
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.WEB_CONCURRENCY;
  return execFileSync("sh", [path.join(dir, "scripts", "start.sh"), "-p", "4000"], { env: { ...inherited, ...env, SECUREWAVE_START_DRY_RUN: "1" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

describe("npm start", () => {
  it("is what package.json runs", () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start).toBe("sh scripts/start.sh");
  });

  it("tunes the embedded database's server for memory", () => {
    expect(command({})).toBe(TUNED);
    expect(command({ DATABASE_URL: "/var/lib/securewave/pglite" })).toBe(TUNED);
    expect(command({ DATABASE_URL: "memory://" })).toBe(TUNED);
  });

  it("runs a PostgreSQL server at V8's defaults, one process per core, named in the environment or in .env", () => {
    expect(command({ DATABASE_URL: "postgres://app@db:5432/securewave" })).toBe(POSTGRES);
    expect(command({ DATABASE_URL: "postgresql://app@db/securewave" })).toBe(POSTGRES);
    expect(command({}, 'AUTH_SECRET=x\nDATABASE_URL="postgres://app@db:5432/securewave"\n')).toBe(POSTGRES);
    expect(command({}, "# DATABASE_URL=postgres://commented\nAPP_URL=https://vpn.example\n")).toBe(TUNED);
    // The environment wins over the file, as in Next.
    expect(command({ DATABASE_URL: "./data/pglite" }, "DATABASE_URL=postgres://app@db/securewave\n")).toBe(TUNED);
  });

  it("takes the number of server processes from WEB_CONCURRENCY on PostgreSQL, and runs one on the embedded database", () => {
    expect(command({ DATABASE_URL: "postgres://app@db/securewave", WEB_CONCURRENCY: "1" })).toBe(PLAIN);
    expect(command({ DATABASE_URL: "postgres://app@db/securewave", WEB_CONCURRENCY: "3" })).toBe("WEB_CONCURRENCY=3 node scripts/cluster.mjs -p 4000");
    // One process holds the embedded data directory.
    expect(command({ WEB_CONCURRENCY: "3" })).toBe(TUNED);
  });

  it("refuses a WEB_CONCURRENCY that is not a number of processes", () => {
    for (const value of ["0", "two", "1.5", "-2", "999"]) {
      const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "cluster.mjs")], { env: { ...process.env, WEB_CONCURRENCY: value }, encoding: "utf8" });
      expect(r.status, value).toBe(1);
      expect(r.stderr).toContain("WEB_CONCURRENCY must be a whole number");
    }
  });
});
