import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
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
