import { getDbHandle } from "@/db/client";
import { seedDemo, seedDemoHistory } from "@/lib/server/demo-seed";
import type { Command } from "./types";

export const dbMigrate: Command = {
  name: "db:migrate",
  summary: "Apply the database migrations (PGlite or PostgreSQL, from DATABASE_URL)",
  usage: "db:migrate",
  options: {},
  async run() {
    const handle = await getDbHandle();
    console.log(`migrated (${handle.kind}${handle.dataDir ? `: ${handle.dataDir}` : ""})`);
  },
};

export const dbSeed: Command = {
  name: "db:seed",
  summary: "Create the demo accounts and demo data (idempotent)",
  usage: "db:seed",
  options: {},
  async run() {
    const handle = await getDbHandle();
    const result = await seedDemo(handle.db);
    if (result.created > 0) await seedDemoHistory(handle.db);
    console.log(`seeded: ${result.created} demo account(s) and ${result.servers} server(s) created; password "demo-password"`);
  },
};
