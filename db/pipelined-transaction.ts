import "server-only";
import { fillPlaceholders, sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { getDbHandle } from "@/db/client";

const dialect = new PgDialect();

type Row = Record<string, unknown>;
type Query = { sql: string; params: unknown[] };

/**
 * A statement whose text is rendered once: `build` receives a placeholder
 * for each named value, and each call only fills the values in. For hot
 * paths, where rendering a large statement costs as much as generating a key.
 */
export function statement<K extends string>(build: (p: Record<K, Placeholder>) => SQL): (values: Record<K, unknown>) => Query {
  let compiled: Query | undefined;
  const names = new Proxy({} as Record<K, Placeholder>, { get: (_, name) => sql.placeholder(String(name)) });
  return (values) => {
    compiled ??= dialect.sqlToQuery(build(names));
    return { sql: compiled.sql, params: fillPlaceholders(compiled.params, values) };
  };
}
interface PostgresJsReserved {
  unsafe(query: string, params?: unknown[], options?: { prepare?: boolean }): Promise<Row[]>;
  release(): void;
}
interface PostgresJs {
  reserve(): Promise<PostgresJsReserved>;
}
interface PgliteLike {
  transaction<T>(fn: (tx: { query(q: string, p?: unknown[]): Promise<{ rows: Row[] }> }) => Promise<T>): Promise<T>;
}

/**
 * Runs `statements` as ONE transaction in ONE round trip on PostgreSQL:
 * BEGIN, the statements and COMMIT go out together on a reserved connection
 * (protocol pipelining), and PostgreSQL runs them in order. A lock taken by a
 * statement is therefore held only while PostgreSQL works, never while the
 * application is busy or the answer travels back (docs/decisions/006).
 *
 * All or nothing: if a statement fails, PostgreSQL aborts the transaction,
 * the later statements fail and COMMIT answers ROLLBACK; the first error is
 * thrown. Nothing can be decided between the statements, so every condition
 * must be inside the SQL (a statement that finds its condition false should
 * write nothing). Each statement still gets its own snapshot (READ
 * COMMITTED), taken when it starts: a statement after a `FOR UPDATE` sees
 * everything committed before the lock was granted.
 *
 * On PGlite (one connection, one transaction at a time) the statements run
 * one after the other in a transaction.
 */
export async function pipelinedTransaction(statements: (SQL | Query)[]): Promise<Row[][]> {
  const handle = await getDbHandle();
  const queries = statements.map((s) => ("getSQL" in s ? dialect.sqlToQuery(s) : s));
  const client = (handle.db as unknown as { $client: unknown }).$client;
  if (handle.kind === "pglite") {
    return (client as PgliteLike).transaction(async (tx) => {
      const out: Row[][] = [];
      for (const q of queries) out.push((await tx.query(q.sql, q.params)).rows);
      return out;
    });
  }
  const conn = await (client as PostgresJs).reserve();
  try {
    // Issued in one tick: postgres-js writes them out together. Named prepared statements (postgres-js
    // caches them per connection): planning a statement of a dozen CTEs costs more than running it.
    const sent = [conn.unsafe("begin"), ...queries.map((q) => conn.unsafe(q.sql, q.params as unknown[], { prepare: true })), conn.unsafe("commit")];
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.slice(1, -1).map((s) => [...(s as PromiseFulfilledResult<Row[]>).value]);
  } finally {
    conn.release();
  }
}
