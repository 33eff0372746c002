import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Backup and restore of the embedded database, as an operator runs them: separate processes, real directories. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-backup-"));
function cli(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${db}`, DATA_DIR: `${dir}/data`, NODE_ENV: "development", LOG_LEVEL: "" },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe.skipIf(!!process.env.TEST_DATABASE_URL)("embedded database backup and restore", () => {
  it("restores what was there, into a new directory only", { timeout: 180_000 }, () => {
    expect(cli(`${dir}/live`, "server:create", "--name", "Kept", "--endpoint", "kept.example.test:51820").code).toBe(0);
    const backup = cli(`${dir}/live`, "db:backup", "--out", `${dir}/snap.tar.gz`);
    expect(backup.code, backup.err).toBe(0);
    expect(fs.statSync(`${dir}/snap.tar.gz`).size).toBeGreaterThan(1000);

    const restored = cli(`${dir}/restored`, "db:restore", "--from", `${dir}/snap.tar.gz`);
    expect(restored.code, restored.err).toBe(0);
    // The restored copy has the server (its name is taken), and a restore never overwrites a database.
    expect(cli(`${dir}/restored`, "server:create", "--name", "Kept", "--endpoint", "kept.example.test:51820").err).toMatch(/already exists/);
    expect(cli(`${dir}/restored`, "db:restore", "--from", `${dir}/snap.tar.gz`).code).toBe(1);
  });
});
