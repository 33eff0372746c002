import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { plans, subscriptions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { getPlanForAdmin, type AdminPlanDto } from "@/lib/dal/plans";
import { GB, type CreatePlan, type UpdatePlan } from "@/lib/validation/plans";
import { notifyOutbox } from "@/lib/email/outbox";
import { reassessPlanQuotas, reassessQuotaOf } from "./quota";

/**
 * Moves a user to another plan inside the caller's transaction: the live
 * subscription changes plan and price in place (a plan change is not churn),
 * or one is started. The admin console, the API and an approved plan change
 * request all come here.
 */
export async function applyPlanChange(tx: DbOrTx, actor: Actor, userId: string, planId: string, audit: Record<string, unknown> = {}) {
  const [plan] = await tx.select().from(plans).where(eq(plans.id, planId));
  if (!plan) throw new AppError("validation_error", "Unknown plan", [{ path: "planId", message: "Unknown plan" }]);
  // The account's row lock first, as account deletion and plan requests take it: a deleted account gets no plan.
  const [user] = await rows(tx, sql`select 1 from users where id = ${userId} and deleted_at is null for update`);
  if (!user) throw new AppError("not_found", "User not found");
  const [live] = await tx
    .update(subscriptions)
    .set({ planId, priceCents: plan.priceCents, updatedAt: new Date() })
    .where(and(eq(subscriptions.userId, userId), sql`${subscriptions.status} <> 'cancelled'`))
    .returning({ id: subscriptions.id });
  if (!live) await tx.insert(subscriptions).values({ userId, planId, priceCents: plan.priceCents });
  // A larger allowance (or none) lifts a data-quota pause at once; see lib/services/quota.
  const quota = await reassessQuotaOf(tx, userId);
  await recordAudit(tx, actor, "account.plan_changed", { type: "user", id: userId }, { planId, quotaReleased: quota.released, ...audit });
  return { planId };
}

/** An admin moves a user to another plan. */
export async function changeUserPlan(actor: Actor, userId: string, planId: string) {
  authorize(actor, "plans.manage");
  const db = await getDb();
  return db.transaction((tx) => applyPlanChange(tx, actor, userId, planId));
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "plan";

const toGb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? bytes : bytes / GB);

/** A new plan on offer (not the default one). Its id comes from its name unless given; a taken id is 409. */
export async function createPlan(actor: Actor, input: CreatePlan): Promise<AdminPlanDto> {
  authorize(actor, "plans.manage");
  const id = input.id ?? slug(input.name);
  const db = await getDb();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(plans).values({
        id,
        name: input.name,
        deviceLimit: input.deviceLimit,
        priceCents: input.priceCents,
        monthlyDataGb: toGb(input.monthlyDataBytes),
        deviceExpiryDays: input.deviceLifetimeDays,
      });
      await recordAudit(tx, actor, "plan.created", { type: "plan", id }, { ...input, id });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `A plan with the id "${id}" already exists`, [{ path: "id", message: "This id is taken: choose another name or id" }]);
    throw err;
  }
  return getPlanForAdmin(actor, id);
}

/**
 * Edits a plan. Its subscribers feel it at once: the device limit and the
 * data allowance are read from the plan whenever they are checked (device
 * creation, the quota job, the plan and devices pages), the price is copied
 * onto every live subscription in the same transaction, and a changed
 * allowance is applied to every subscriber in that transaction too (set-based,
 * lib/services/quota reassessPlanQuotas): one at or over a lowered allowance
 * is paused now — their devices leave the server configs, whose versions move
 * on — and one under a raised (or removed) allowance resumes. A new device
 * lifetime applies to devices created from now on: existing devices keep the
 * expiry they have (re-dating them would surprise their owners), and the
 * admin page says so next to the field.
 */
export async function updatePlan(actor: Actor, planId: string, input: UpdatePlan): Promise<AdminPlanDto> {
  authorize(actor, "plans.manage");
  const db = await getDb();
  const { emailed } = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(plans).where(eq(plans.id, planId)).for("update");
    if (!before) throw new AppError("not_found", "Plan not found");
    await tx
      .update(plans)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.deviceLimit !== undefined ? { deviceLimit: input.deviceLimit } : {}),
        ...(input.monthlyDataBytes !== undefined ? { monthlyDataGb: toGb(input.monthlyDataBytes) } : {}),
        ...(input.deviceLifetimeDays !== undefined ? { deviceExpiryDays: input.deviceLifetimeDays } : {}),
        ...(input.priceCents !== undefined ? { priceCents: input.priceCents } : {}),
        updatedAt: new Date(),
      })
      .where(eq(plans.id, planId));
    let repriced = 0;
    if (input.priceCents !== undefined && input.priceCents !== before.priceCents) {
      const [r] = await rows<{ n: number }>(
        tx,
        sql`with repriced as (
              update subscriptions set price_cents = ${input.priceCents}::int, updated_at = now()
              where plan_id = ${planId} and status <> 'cancelled' returning 1)
            select count(*)::int as n from repriced`,
      );
      repriced = Number(r?.n ?? 0);
    }
    // The new allowance is in the plan row (this transaction): every subscriber is reassessed against it now.
    const allowanceChanged = input.monthlyDataBytes !== undefined && toGb(input.monthlyDataBytes) !== before.monthlyDataGb;
    const quota = allowanceChanged ? await reassessPlanQuotas(tx, planId, before.isDefault) : null;
    await recordAudit(
      tx,
      actor,
      "plan.updated",
      { type: "plan", id: planId },
      {
        fields: Object.keys(input),
        repricedSubscriptions: repriced,
        ...(quota ? { quotaPaused: quota.blocked, quotaResumed: quota.released, quotaWarned: quota.warned } : {}),
      },
    );
    return { emailed: quota?.emailed ?? 0 };
  });
  if (emailed) await notifyOutbox();
  return getPlanForAdmin(actor, planId);
}
