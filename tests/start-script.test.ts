import { execFileSync } from "node:child_process";
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

function command(env: Record<string, string>, dotenv?: string): string {
  // A copy of the script in a scratch project, so a .env file can be put beside it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-start-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.copyFileSync(path.join(ROOT, "scripts", "start.sh"), path.join(dir, "scripts", "start.sh"));
  if (dotenv !== undefined) fs.writeFileSync(path.join(dir, ".env"), dotenv);
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  return execFileSync("sh", [path.join(dir, "scripts", "start.sh"), "-p", "4000"], { env: { ...inherited, ...env, SECUREWAVE_START_DRY_RUN: "1" }, encoding: "utf8" }).trim();
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

  it("leaves a PostgreSQL server at V8's defaults, named in the environment or in .env", () => {
    expect(command({ DATABASE_URL: "postgres://app@db:5432/securewave" })).toBe(PLAIN);
    expect(command({ DATABASE_URL: "postgresql://app@db/securewave" })).toBe(PLAIN);
    expect(command({}, 'AUTH_SECRET=x\nDATABASE_URL="postgres://app@db:5432/securewave"\n')).toBe(PLAIN);
    expect(command({}, "# DATABASE_URL=postgres://commented\nAPP_URL=https://vpn.example\n")).toBe(TUNED);
    // The environment wins over the file, as in Next.
    expect(command({ DATABASE_URL: "./data/pglite" }, "DATABASE_URL=postgres://app@db/securewave\n")).toBe(TUNED);
  });
});
