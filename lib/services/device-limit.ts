import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { plans, subscriptions } from "@/db/schema";
import { getEnv } from "@/lib/env";

/** The number of active devices the user's plan allows (a null plan limit means DEFAULT_DEVICE_LIMIT). */
export async function deviceLimitFor(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ limit: plans.deviceLimit })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.userId, userId), sql`${subscriptions.status} <> 'cancelled'`))
    .orderBy(sql`${subscriptions.startedAt} desc`)
    .limit(1);
  if (row && row.limit !== null) return row.limit;
  if (!row) {
    const [def] = await db.select({ limit: plans.deviceLimit }).from(plans).where(eq(plans.isDefault, true)).limit(1);
    if (def && def.limit !== null) return def.limit;
  }
  return getEnv().DEFAULT_DEVICE_LIMIT;
}
