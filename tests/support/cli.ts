// The operator CLI (scripts/cli.ts) two ways: the binary in a process of its
// own, exactly as an operator runs it, and its entry point (`main`) in the
// test's process. Each boot of the binary spends seconds loading the app's
// modules, so tests run the binary where the process itself is under test
// (exit codes, a directory written by one process and read by the next) and
// the rest of their commands in-process.
import { spawnSync } from "node:child_process";
import { format } from "node:util";
import { vi } from "vitest";
import { closeDb, getDbHandle, setDbHandle } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { main } from "@/scripts/commands/main";

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface CliEnv {
  DATABASE_URL: string;
  DATA_DIR: string;
}

export function spawnCli(env: CliEnv, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", ...args], {
    env: { ...process.env, ...env, NODE_ENV: "development", LOG_LEVEL: "" },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

/** One command through `main`, with what it prints captured as the binary would write it to stdout and stderr. */
async function run(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(format(...a)));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(format(...a)));
  // A failed job sets process.exitCode for main to answer; it must not become the test run's exit code.
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out: out.join("\n").trim(), err: err.join("\n").trim() };
  } finally {
    process.exitCode = exitCode;
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * Runs `fn` with a `cli` that takes the binary's arguments, on the database
 * `env` names. As in the binary, the first command that needs the database
 * opens it (creating and migrating a new directory), and it is closed at the
 * end, before any other process may open the directory (PGlite: one process
 * per directory). The test file's own database is set aside meanwhile.
 */
export async function inProcessCli<T>(env: CliEnv, fn: (cli: (...args: string[]) => Promise<CliResult>) => Promise<T>): Promise<T> {
  const testDb = await getDbHandle();
  const previous = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };
  setDbHandle(undefined);
  resetEnv({ ...env });
  try {
    return await fn((...args) => run(args));
  } finally {
    await closeDb();
    resetEnv(previous);
    setDbHandle(testDb);
  }
}
