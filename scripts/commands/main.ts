import { parseArgs } from "node:util";
import { AppError } from "@/lib/errors";
import { EnvError } from "@/lib/env";
import { dbMigrate, dbSeed } from "./db";
import { tokenCreate, userCreate } from "./users";
import { serverCreate, serverUpdate } from "./servers";
import { jobsRun } from "./jobs";
import { dataSynth } from "./synth";
import { keysReseal } from "./keys";
import { dbBackup, dbRestore } from "./backup";
import { verifyEncryptionKeys } from "@/lib/services/key-check";
import { UsageError, type Command } from "./types";

/** The operator CLI: `npm run cli -- <command> [options]`. Exit codes: 0 done, 1 failed, 2 usage. */
const COMMANDS: Command[] = [dbMigrate, dbSeed, dbBackup, dbRestore, userCreate, tokenCreate, serverCreate, serverUpdate, jobsRun, dataSynth, keysReseal];

/**
 * Commands that seal or unseal secrets: each checks the master keys against
 * the database first (lib/services/key-check), as the app does at start, so a
 * wrong ENCRYPTION_KEY fails here instead of sealing what nobody else can open.
 */
const SEALING = new Set(["db:seed", "server:create", "server:update", "jobs:run", "data:synth", "keys:reseal"]);

function help(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(72)} ${c.summary}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nAdd --help after a command for its options.`;
}

/** Runs one command and answers its exit code; the caller closes the database and exits. */
export async function main(argv: string[]): Promise<number> {
  // Output is for people and scripts: routine log lines stay out of it unless asked for.
  if (!process.env.LOG_LEVEL) process.env.LOG_LEVEL = "warn";
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`${(err as Error).message}\nUsage: npm run cli -- ${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(`Usage: npm run cli -- ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    if (SEALING.has(command.name)) await verifyEncryptionKeys();
    await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (err instanceof AppError || err instanceof EnvError) {
      console.error(`Error: ${err.message}`);
      return 1;
    }
    // A failed query's message carries its SQL and parameters: show the database's own reason only.
    const cause = (err as { cause?: { message?: string } }).cause;
    console.error(`Error: ${cause?.message ?? (err as Error).message ?? err}`);
    if (process.env.LOG_LEVEL === "debug") console.error(err);
    return 1;
  }
}
