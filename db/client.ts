import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { getEnv, isPostgresUrl } from "@/lib/env";
import * as schema from "./schema";
import { lockDataDir } from "./lock";
import { createDataDirApart, isNewDataDir } from "./pglite-create";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type DbKind = "pglite" | "postgres";
interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Where the embedded database keeps its files; null for PostgreSQL and memory. */
  dataDir: string | null;
  url?: string;
  close: () => Promise<void>;
}

const MIGRATIONS = path.join(process.cwd(), "db", "migrations");
const g = globalThis as unknown as { __swDb?: Promise<DbHandle> };

/** Resolves DATABASE_URL to a driver: unset → ./.data/pglite, memory:// → RAM, a path → PGlite, postgres:// → PostgreSQL. */
export function describeDatabaseUrl(url: string | undefined, dataDir: string) {
  if (url && isPostgresUrl(url)) return { kind: "postgres" as const, url };
  if (url?.startsWith("memory://")) return { kind: "pglite" as const, dir: null };
  if (!url) return { kind: "pglite" as const, dir: path.resolve(dataDir, "pglite") };
  return { kind: "pglite" as const, dir: path.resolve(url.replace(/^file:(\/\/)?/, "")) };
}

/**
 * PostgreSQL settings for the embedded database, after PGlite's own. Its
 * memory is one WebAssembly memory that never shrinks, and PostgreSQL touches
 * the whole shared memory at start: with the default 128 MB of shared buffers
 * that was 150 MB resident before the first query. 16 MB hold the working set
 * of thousands of devices many times over, and a page not in them is read
 * from the operating system's file cache, not the disk (RSS-REPORT.md).
 */
export const PGLITE_SETTINGS = ["shared_buffers=16MB"];

async function openPglite(dir: string | null, loadDataDir?: Blob): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (dir) fs.mkdirSync(dir, { recursive: true });
  // PGlite has no lock of its own: a second process on the directory would silently diverge from this one.
  const release = dir ? lockDataDir(dir) : () => {};
  let client;
  try {
    // A new directory is made by a child process: creating one costs the process far more memory than opening one.
    if (dir && !loadDataDir && isNewDataDir(dir)) await createDataDirApart(dir);
    const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ["-c", setting])];
    client = await PGlite.create({ dataDir: dir ?? undefined, loadDataDir, startParams });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzle({ client, schema }) as unknown as Db;
  const opened = client;
  return { db, kind: "pglite", dataDir: dir, close: () => opened.close().finally(release) };
}

async function openPostgres(url: string, max = 10): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max, onnotice: () => {}, idle_timeout: 30, connect_timeout: 10 });
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, kind: "postgres", dataDir: null, url, close: () => client.end({ timeout: 5 }) };
}

/** Applies committed drizzle-kit migrations; on PostgreSQL under an advisory lock so that instances starting together do not race. */
export async function migrateHandle(handle: DbHandle): Promise<void> {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder: MIGRATIONS });
    return;
  }
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { default: postgres } = await import("postgres");
  // One dedicated connection: the advisory lock is held by a session.
  const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(727274001)`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.end({ timeout: 5 });
  }
}

export interface OpenOptions {
  url?: string;
  migrate?: boolean;
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  const env = getEnv();
  const target = describeDatabaseUrl(opts.url ?? env.DATABASE_URL, env.DATA_DIR);
  const handle =
    target.kind === "postgres"
      ? await openPostgres(target.url, opts.poolSize)
      : await openPglite(target.dir, opts.loadDataDir);
  if (opts.migrate !== false) await migrateHandle(handle);
  return handle;
}

/** The process-wide database, opened and migrated once (cached on globalThis so Next's module reloads share it). */
export function getDbHandle(): Promise<DbHandle> {
  g.__swDb ??= openDatabase().catch((err) => {
    g.__swDb = undefined;
    throw err;
  });
  return g.__swDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Tests and the CLI install their own database handle. */
export function setDbHandle(handle: DbHandle | undefined): void {
  g.__swDb = handle ? Promise.resolve(handle) : undefined;
}

export async function closeDb(): Promise<void> {
  const current = g.__swDb;
  g.__swDb = undefined;
  if (current) await (await current).close();
}

/** What `rows` needs of a drizzle handle on postgres-js: the driver's client and drizzle's SQL builder. */
interface PostgresJsParts {
  session?: { client?: { unsafe?: (query: string, params: unknown[], options: { prepare: boolean }) => Promise<ArrayLike<unknown>> } };
  dialect?: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
}

/**
 * The rows of one statement, in one shape for both databases (`db.execute`
 * answers `{rows}` on PGlite and an array on postgres-js). On PostgreSQL it runs as a named prepared
 * statement (postgres-js keeps one per connection and text): parsed once per
 * connection, and after a few runs planned once, instead of parsed and planned
 * on every run (a quarter of a page's database time; docs/decisions/024).
 * postgres-js prepares a statement again when a migration changed what it
 * reads.
 */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const parts = db as unknown as PostgresJsParts;
  const client = parts.session?.client;
  if (typeof client?.unsafe === "function" && parts.dialect) {
    const { sql: text, params } = parts.dialect.sqlToQuery(query);
    return Array.from(await client.unsafe(text, params, { prepare: true })) as T[];
  }
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { schema };
