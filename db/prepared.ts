import "server-only";
import type { Db } from "./client";
import { withPgliteFastPath } from "./pglite-hot";

/**
 * A query built once per database handle and then only executed: drizzle's
 * prepared statements skip building the SQL text and its parameter list on
 * every call, about half a millisecond of a hot query on the embedded
 * database (docs/decisions/017). For the paths every request takes: the
 * session check behind each cookie, the token check, the config download.
 * Per handle, because a prepared statement belongs to the handle that made
 * it (tests open one database per file). On the embedded database such a
 * statement also takes PGlite's fast path (db/pglite-hot.ts: parsed once by
 * PostgreSQL, one call per run).
 */
export function preparedPer<T>(build: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let statement = made.get(db);
    if (!statement) {
      statement = withPgliteFastPath(build(db));
      made.set(db, statement);
    }
    return statement;
  };
}
