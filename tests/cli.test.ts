import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The operator CLI as an operator runs it: a separate process on its own embedded database. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-cli-"));
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${dir}/db`, DATA_DIR: `${dir}/data`, NODE_ENV: "development", LOG_LEVEL: "" },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

// Runs the CLI on its own embedded database: once, in the PGlite pass.
describe.skipIf(!!process.env.TEST_DATABASE_URL)("operator CLI", () => {
  it("creates accounts, tokens and servers with clear errors and exit codes", { timeout: 120_000 }, () => {
    expect(cli("--help").code).toBe(0);
    expect(cli("nonsense").code).toBe(2);

    const seeded = cli("db:seed");
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/4 demo account\(s\) and 2 server\(s\)/);

    const short = cli("user:create", "--email", "ops@example.test", "--password", "short");
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/at least 10 characters/);

    const made = cli("user:create", "--email", "ops@example.test", "--password", "long enough pw", "--role", "agent");
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^created agent ops@example\.test/);
    const dup = cli("user:create", "--email", "OPS@example.test", "--password", "long enough pw");
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);

    const token = cli("token:create", "--email", "ops@example.test");
    expect(token.code).toBe(0);
    expect(token.out).toMatch(/^swp_[A-Za-z0-9_-]{43}$/);
    expect(cli("token:create", "--email", "nobody@example.test").code).toBe(2);

    const server = cli("server:create", "--name", "Paris 1", "--endpoint", "par1.example.test:51820", "--ipv4", "10.70.0.0/24");
    expect(server.code).toBe(0);
    expect(server.out).toMatch(/^swa_[A-Za-z0-9_-]{43}$/);
    const badPool = cli("server:create", "--name", "Paris 2", "--endpoint", "par2.example.test:51820", "--ipv4", "10.70.0.0/30");
    expect(badPool.code).toBe(2);
    expect(badPool.err).toMatch(/--ipv4: .*\/29/);
    expect(cli("server:create", "--name", "Paris 3", "--endpoint", "no-port").code).toBe(2);

    const job = cli("jobs:run", "telemetry");
    expect(job.code).toBe(0);
    expect(job.out).toMatch(/^telemetry: succeeded/);
  });
});
