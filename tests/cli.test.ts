import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inProcessCli, spawnCli, type CliEnv } from "./support/cli";

/**
 * The operator CLI on its own embedded database. The binary, a separate
 * process as an operator runs it, runs the first command (creating and
 * migrating the directory) and the last (finding what was written there in
 * between, and failing with exit code 1); the commands in between go through
 * its entry point in this process, on the same directory.
 */
// Runs the CLI on its own embedded database: once, in the PGlite pass.
describe.skipIf(!!process.env.TEST_DATABASE_URL)("operator CLI", () => {
  let dir = "";
  let env: CliEnv;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-cli-"));
    env = { DATABASE_URL: `file:${dir}/db`, DATA_DIR: `${dir}/data` };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates accounts, tokens and servers with clear errors and exit codes", async () => {
    const seeded = spawnCli(env, "db:seed");
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/4 demo account\(s\) and 2 server\(s\)/);

    await inProcessCli(env, async (cli) => {
      expect((await cli("--help")).code).toBe(0);
      expect((await cli("nonsense")).code).toBe(2);

      const short = await cli("user:create", "--email", "ops@example.test", "--password", "short");
      expect(short.code).toBe(2);
      expect(short.err).toMatch(/at least 10 characters/);

      const made = await cli("user:create", "--email", "ops@example.test", "--password", "long enough pw", "--role", "agent");
      expect(made.code).toBe(0);
      expect(made.out).toMatch(/^created agent ops@example\.test/);

      const token = await cli("token:create", "--email", "ops@example.test");
      expect(token.code).toBe(0);
      expect(token.out).toMatch(/^swp_[A-Za-z0-9_-]{43}$/);
      expect((await cli("token:create", "--email", "nobody@example.test")).code).toBe(2);

      const server = await cli("server:create", "--name", "Paris 1", "--endpoint", "par1.example.test:51820", "--ipv4", "10.70.0.0/24");
      expect(server.code).toBe(0);
      expect(server.out).toMatch(/^swa_[A-Za-z0-9_-]{43}$/);
      const badPool = await cli("server:create", "--name", "Paris 2", "--endpoint", "par2.example.test:51820", "--ipv4", "10.70.0.0/30");
      expect(badPool.code).toBe(2);
      expect(badPool.err).toMatch(/--ipv4: .*\/29/);
      expect((await cli("server:create", "--name", "Paris 3", "--endpoint", "no-port")).code).toBe(2);

      // The MTU (and the rest of a server) can be changed from the CLI as from the API.
      const updated = await cli("server:update", "--server", "Paris 1", "--mtu", "1380", "--region", "eu-west");
      expect(updated.code, updated.err).toBe(0);
      expect(JSON.parse(updated.out)).toMatchObject({ name: "Paris 1", mtu: 1380, region: "eu-west" });
      const badMtu = await cli("server:update", "--server", "Paris 1", "--mtu", "70000");
      expect(badMtu.code).toBe(2);
      expect(badMtu.err).toMatch(/--mtu: /);
      expect((await cli("server:update", "--server", "Nowhere", "--mtu", "1400")).code).toBe(2);
      expect((await cli("server:update", "--server", "Paris 1")).code).toBe(2);

      const job = await cli("jobs:run", "telemetry");
      expect(job.code).toBe(0);
      expect(job.out).toMatch(/^telemetry: succeeded/);
    });

    const dup = spawnCli(env, "user:create", "--email", "OPS@example.test", "--password", "long enough pw");
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
  });
});
