import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { DataDirLockedError, lockDataDir, lockPathOf } from "@/db/lock";
import { spawnCli } from "../support/cli";
import { watch } from "../support/spawned";

/**
 * One process per embedded data directory: the app and the CLI in processes
 * of their own on one directory. The second refuses and names the holder; a
 * lock left by a process that is gone (an app killed with SIGKILL) does not
 * block the next start; a clean exit releases.
 */
let root: string;
let dir: string;
const running: ChildProcess[] = [];

function lockOf(owner: Partial<Record<string, unknown>>): string {
  return JSON.stringify({ hostname: os.hostname(), bootId: null, startTicks: null, startedAt: new Date().toISOString(), command: "node scripts/cli.ts data:synth", ...owner });
}

/** The app (tests/support/app-process.ts: instrumentation's start-up, as under `next start`) on `dir`, with everything it writes kept. */
function startApp() {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "tests/support/app-process.ts"], {
    env: { ...process.env, PORT: "0", DATABASE_URL: `file:${dir}`, DATA_DIR: root, NODE_ENV: "production", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  for (const s of [child.stdout!, child.stderr!]) s.on("data", (d) => (output += d));
  return { child, ...watch(child), output: () => output };
}

const cli = (...args: string[]) => spawnCli({ DATABASE_URL: `file:${dir}`, DATA_DIR: root }, ...args);

/** The lock is the embedded database's: the PostgreSQL pass (TEST_DATABASE_URL) has no PGlite template to start from. */
describe.skipIf(!!process.env.TEST_DATABASE_URL)("the data directory lock", () => {
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sw-lock-"));
    dir = path.join(root, "pglite");
    // A migrated directory from the template; opening and closing it here also shows the release on close.
    const handle = await openDatabase({ url: `file:${dir}`, migrate: false, loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplate"))]) });
    expect(fs.existsSync(lockPathOf(dir))).toBe(true);
    await handle.close();
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  afterAll(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("refuses the CLI while the app holds the directory, and lets it in once the app has stopped", async () => {
    const app = startApp();
    await app.logged("test.listening");
    const holder = JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8"));
    expect(holder.pid).toBe(app.child.pid);

    const refused = cli("db:migrate");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(dir);
    expect(refused.err).toContain(`process ${app.child.pid}`);
    expect(refused.err).toContain("tests/support/app-process.ts");
    // The refusal leaves the holder's lock alone.
    expect(JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8")).pid).toBe(app.child.pid);

    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);

    const after = cli("db:migrate");
    expect(after.err).toBe("");
    expect(after.code).toBe(0);
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  it("lets a new app start after the holder was killed with SIGKILL, taking over the lock it left", async () => {
    const first = startApp();
    await first.logged("test.listening");
    expect(JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8")).pid).toBe(first.child.pid);

    // A crash: no exit hook runs, the lock file stays behind naming a process that is gone.
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    expect(first.child.signalCode).toBe("SIGKILL");
    const left = JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8"));
    expect(left.pid).toBe(first.child.pid);

    const second = startApp();
    await second.logged("test.listening");
    expect(second.output()).not.toContain("is in use by process");
    const taken = JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8"));
    expect(taken.pid).toBe(second.child.pid);
    expect(taken.pid).not.toBe(left.pid);
    // It answers from the directory the killed process left open (PGlite recovers it): an unknown token is
    // looked up in the database and refused (an unreadable database would answer 503).
    const { port } = (await second.logged("test.listening")) as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer swp_${randomBytes(32).toString("base64url")}` } });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Invalid or revoked token");

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  it("keeps the app from starting while another live process holds the directory", async () => {
    // A live holder other than the app: a process that waits until it is ended.
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
    running.push(holder);
    await new Promise((r) => holder.once("spawn", r));
    fs.writeFileSync(lockPathOf(dir), lockOf({ pid: holder.pid }));
    try {
      const app = startApp();
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`The data directory ${dir} is in use by process ${holder.pid} (node scripts/cli.ts data:synth)`);
      expect(JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8")).pid).toBe(holder.pid);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a lock left by a process that is gone", () => {
    // A pid that surely names no process now: one that has already exited.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    fs.writeFileSync(lockPathOf(dir), lockOf({ pid: gone }));
    const r = cli("db:migrate");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });

  it("tells a reused pid from the holder by its start time, and refuses a second open in one process", () => {
    // This process is alive, but it is not the one that wrote the lock: its start time differs.
    fs.writeFileSync(lockPathOf(dir), lockOf({ pid: process.ppid, startTicks: "1" }));
    const release = lockDataDir(dir);
    try {
      expect(JSON.parse(fs.readFileSync(lockPathOf(dir), "utf8")).pid).toBe(process.pid);
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    } finally {
      release();
    }
    expect(fs.existsSync(lockPathOf(dir))).toBe(false);
  });
});
