import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { inProcessCli, spawnCli } from "../support/cli";

/**
 * Backup and restore of the embedded database, as an operator runs them:
 * `db:backup` and `db:restore` are separate processes on real directories.
 * The commands around them run through the CLI's entry point in this
 * process, on the same directories, never while another process has one open.
 */
describe.skipIf(!!process.env.TEST_DATABASE_URL)("embedded database backup and restore", () => {
  let dir = "";
  const at = (db: string) => ({ DATABASE_URL: `file:${db}`, DATA_DIR: `${dir}/data` });
  beforeAll(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-backup-"))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("restores what was there, into a new directory only", { timeout: 180_000 }, async () => {
    // The live directory starts as a copy of the migrated template: tests/cli.test.ts has the CLI create one from nothing.
    const live = await openDatabase({ url: `${dir}/live`, migrate: false, loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplate"))]) });
    await live.close();
    await inProcessCli(at(`${dir}/live`), async (cli) => {
      expect((await cli("server:create", "--name", "Kept", "--endpoint", "kept.example.test:51820")).code).toBe(0);
    });

    const backup = spawnCli(at(`${dir}/live`), "db:backup", "--out", `${dir}/snap.tar.gz`);
    expect(backup.code, backup.err).toBe(0);
    expect(fs.statSync(`${dir}/snap.tar.gz`).size).toBeGreaterThan(1000);

    const restored = spawnCli(at(`${dir}/restored`), "db:restore", "--from", `${dir}/snap.tar.gz`);
    expect(restored.code, restored.err).toBe(0);
    // The restored copy has the server (its name is taken), and a restore never overwrites a database.
    await inProcessCli(at(`${dir}/restored`), async (cli) => {
      expect((await cli("server:create", "--name", "Kept", "--endpoint", "kept.example.test:51820")).err).toMatch(/already exists/);
      expect((await cli("db:restore", "--from", `${dir}/snap.tar.gz`)).code).toBe(1);
    });
  });
});
