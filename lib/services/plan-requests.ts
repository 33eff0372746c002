import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { recordAudit } from "@/lib/audit";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { readPlanRequest, type PlanRequestDto } from "@/lib/dal/plans";
import { userPlanJoin } from "@/lib/dal/quota-month";
import { AppError } from "@/lib/errors";
import { applyPlanChange } from "./plans";
import { hit } from "./rate-limit";

/** Requests per account and day: enough to change one's mind, not enough to flood the admins' queue. */
const REQUESTS_PER_DAY = 20;

/**
 * Locks the account's row and checks it is not deleted. Every writer of plan
 * requests and plans takes this lock first (then the request row), the order
 * account deletion takes them in too, so none of them can deadlock another.
 */
async function lockAccount(tx: DbOrTx, userId: string): Promise<void> {
  const [user] = await rows(tx, sql`select 1 from users where id = ${userId} and deleted_at is null for update`);
  if (!user) throw new AppError("not_found", "User not found");
}

/**
 * "Change plan" on the plan page: records a request for an admin to decide
 * (there is no payment provider). One pending request per account, enforced
 * by the database (plan_change_requests_pending_key): a second one, however
 * concurrent, is 409.
 */
export async function requestPlanChange(actor: UserActor, planId: string): Promise<PlanRequestDto> {
  await hit({ key: `plan-request:user:${actor.id}`, max: REQUESTS_PER_DAY, windowSeconds: 86_400 });
  const db = await getDb();
  const id = await db
    .transaction(async (tx) => {
      await lockAccount(tx, actor.id);
      const [plan] = await rows(tx, sql`select 1 from plans where id = ${planId}`);
      if (!plan) throw new AppError("validation_error", "Unknown plan", [{ path: "planId", message: "Unknown plan" }]);
      const [current] = await rows<{ id: string | null }>(tx, sql`select pl.id from users u ${userPlanJoin} where u.id = ${actor.id}`);
      if (current?.id === planId) throw new AppError("conflict", "You are already on this plan", [{ path: "planId", message: "You are already on this plan" }]);
      const [created] = await rows<{ id: string }>(
        tx,
        sql`insert into plan_change_requests (user_id, from_plan_id, to_plan_id) values (${actor.id}, ${current?.id ?? null}, ${planId}) returning id`,
      );
      await recordAudit(tx, actor, "plan.change_requested", { type: "plan_change_request", id: created!.id }, { fromPlanId: current?.id ?? null, toPlanId: planId });
      return created!.id;
    })
    .catch((err) => {
      if (isUniqueViolation(err, "plan_change_requests_pending_key")) {
        throw new AppError("conflict", "You already have a plan change waiting for a decision: cancel it first to ask for another plan");
      }
      throw err;
    });
  return readPlanRequest(id);
}

/** Withdraws the caller's pending request, if any (idempotent: nothing pending is fine). */
export async function cancelPlanChangeRequest(actor: UserActor): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const cancelled = await rows<{ id: string }>(
      tx,
      sql`update plan_change_requests set status = 'cancelled', decided_at = now() where user_id = ${actor.id} and status = 'pending' returning id`,
    );
    for (const c of cancelled) await recordAudit(tx, actor, "plan.change_cancelled", { type: "plan_change_request", id: c.id });
  });
}

/**
 * An admin approves or rejects a pending request. Approving changes the
 * account's plan exactly as the admin console's plan change does
 * (applyPlanChange), in the same transaction as the decision. A request
 * decided (or withdrawn) meanwhile is 409: of two admins deciding at once,
 * one wins.
 */
export async function decidePlanRequest(actor: Actor, requestId: string, decision: "approve" | "reject", note?: string): Promise<PlanRequestDto> {
  authorizeUser(actor, "plans.manage");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [found] = await rows<{ userId: string }>(tx, sql`select user_id as "userId" from plan_change_requests where id = ${requestId}`);
    if (!found) throw new AppError("not_found", "Request not found");
    await lockAccount(tx, found.userId).catch((err) => {
      if (err instanceof AppError && err.code === "not_found") throw new AppError("conflict", "This account was deleted; its request can no longer be decided");
      throw err;
    });
    const status = decision === "approve" ? "approved" : "rejected";
    const [decided] = await rows<{ userId: string; toPlanId: string }>(
      tx,
      sql`update plan_change_requests set status = ${status}, note = ${note ?? null}, decided_by_id = ${actor.id}, decided_at = now()
          where id = ${requestId} and status = 'pending'
          returning user_id as "userId", to_plan_id as "toPlanId"`,
    );
    if (!decided) {
      const [now] = await rows<{ status: string }>(tx, sql`select status from plan_change_requests where id = ${requestId}`);
      throw new AppError("conflict", `This request is no longer pending (${now?.status ?? "gone"})`);
    }
    await recordAudit(tx, actor, `plan.change_${status}`, { type: "plan_change_request", id: requestId }, { userId: decided.userId, toPlanId: decided.toPlanId });
    if (decision === "approve") await applyPlanChange(tx, actor, decided.userId, decided.toPlanId, { requestId });
  });
  return readPlanRequest(requestId);
}
