import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, getDbHandle, rows, type DbOrTx } from "@/db/client";
import { getEnv } from "@/lib/env";

/**
 * Runs one large analytical statement (a rollup over every user) in its own
 * transaction, tuned for it: enough `work_mem` that its sorts and hash
 * aggregates over millions of rows stay in memory instead of spilling to
 * disk (ANALYTICS_WORK_MEM_MB, for this transaction only), and no JIT: the
 * planner over-estimates these statements (row counts of set-returning
 * functions, joins of CTEs), and compiling them cost more than it saved
 * (docs/perf/analytics.md).
 */
export async function analyticsTransaction<T>(fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  const db = await getDb();
  const workMem = `${getEnv().ANALYTICS_WORK_MEM_MB}MB`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('work_mem', ${workMem}, true), set_config('jit', 'off', true)`);
    return fn(tx);
  });
}

/** One slice of the users: ids from `from` (inclusive) to `to` (exclusive); null is open-ended. */
export interface UserPart {
  index: number;
  count: number;
  from: string | null;
  to: string | null;
}

/**
 * A condition keeping the rows of one part's users (`column` holds a user
 * id); always true when there is one part. A range of ids rather than a hash:
 * the planner estimates it from the column's statistics (a hash of a column
 * it would guess at 0.5% of the rows, and plan sorts for what hash
 * aggregates do better), and an index on the user id can serve it.
 */
export function inPart(column: SQL, part: UserPart): SQL {
  const from = part.from === null ? sql`true` : sql`${column} >= ${part.from}`;
  const to = part.to === null ? sql`true` : sql`${column} < ${part.to}`;
  return part.count === 1 ? sql`true` : sql`(${from} and ${to})`;
}

/** Bounds splitting the users into `count` ranges of about the same size (one range, unbounded, when there are no users). */
async function boundaries(count: number): Promise<(string | null)[]> {
  if (count === 1) return [null, null];
  const fractions = Array.from({ length: count - 1 }, (_, i) => (i + 1) / count);
  const [row] = await rows<{ b: string[] | null }>(
    await getDb(),
    sql`select percentile_disc(${`{${fractions.join(",")}}`}::float8[]) within group (order by id) as b from users`,
  );
  return row?.b ? [null, ...row.b, null] : [null, null];
}

/**
 * Runs a rollup over every user as ANALYTICS_PARALLELISM statements at once,
 * each over its share of the users, on connections of their own: a single
 * INSERT … SELECT runs on one core (PostgreSQL plans no parallel workers for
 * a statement that writes), so this is how a backfill of millions of rows
 * uses the machine. PGlite runs one statement at a time: one part there.
 * Each part is its own analytics transaction.
 * `single`: one part whatever the setting (a rollup narrowed to one user).
 */
export async function inUserParts<T>(
  fn: (tx: DbOrTx, part: UserPart) => Promise<T>,
  opts: { single?: boolean } = {},
): Promise<T[]> {
  const handle = await getDbHandle();
  const bounds = await boundaries(handle.kind === "pglite" || opts.single ? 1 : getEnv().ANALYTICS_PARALLELISM);
  const count = bounds.length - 1;
  return Promise.all(
    Array.from({ length: count }, (_, index) => analyticsTransaction((tx) => fn(tx, { index, count, from: bounds[index]!, to: bounds[index + 1]! }))),
  );
}
