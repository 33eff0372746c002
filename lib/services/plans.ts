import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { plans, subscriptions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { reassessQuotaOf } from "./quota";

/**
 * An admin moves a user to another plan: the live subscription changes plan
 * and price in place (a plan change is not churn), or one is started.
 */
export async function changeUserPlan(actor: Actor, userId: string, planId: string) {
  authorize(actor, "plans.manage");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [plan] = await tx.select().from(plans).where(eq(plans.id, planId));
    if (!plan) throw new AppError("validation_error", "Unknown plan", [{ path: "planId", message: "Unknown plan" }]);
    const [user] = await rows(tx, sql`select 1 from users where id = ${userId}`);
    if (!user) throw new AppError("not_found", "User not found");
    const [live] = await tx
      .update(subscriptions)
      .set({ planId, priceCents: plan.priceCents, updatedAt: new Date() })
      .where(and(eq(subscriptions.userId, userId), sql`${subscriptions.status} <> 'cancelled'`))
      .returning({ id: subscriptions.id });
    if (!live) await tx.insert(subscriptions).values({ userId, planId, priceCents: plan.priceCents });
    // A larger allowance (or none) lifts a data-quota pause at once; see lib/services/quota.
    const quota = await reassessQuotaOf(tx, userId);
    await recordAudit(tx, actor, "account.plan_changed", { type: "user", id: userId }, { planId, quotaReleased: quota.released });
    return { planId };
  });
}
