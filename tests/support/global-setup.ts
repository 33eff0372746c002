import fs from "node:fs";
import path from "node:path";

/**
 * Builds one migrated PGlite database and dumps it, so each test file starts
 * from a copy in ~0.6 s instead of running initdb and migrations again.
 * With TEST_DATABASE_URL set, files use fresh PostgreSQL databases instead.
 */
export const TEMPLATE = path.resolve(".test-data/pglite-template.tar");

export default async function setup() {
  if (process.env.TEST_DATABASE_URL) return;
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create();
  await migrate(drizzle({ client }), { migrationsFolder: path.resolve("db/migrations") });
  const dump = await client.dumpDataDir("none");
  fs.mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  fs.writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await client.close();
}
