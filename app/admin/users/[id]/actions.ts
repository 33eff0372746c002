"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { ACCOUNT_STATUSES, changeUserStatus } from "@/lib/dal/admin-users";
import { changeUserPlan } from "@/lib/services/plans";
import { failure, pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const ChangePlanSchema = z.object({
  userId: z.string().min(1).max(100),
  planId: z.string().min(1, "Choose a plan").max(100),
});

const ChangeStatusSchema = z
  .object({
    userId: z.string().min(1).max(100),
    status: z.enum(ACCOUNT_STATUSES, { message: "Choose a status" }),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters"),
  })
  // Suspending or banning someone needs a reason the next admin (and the audit log) can read.
  .refine((v) => v.status === "active" || v.reason.length > 0, { path: ["reason"], message: "Give a reason" });

function revalidateReport(userId: string) {
  revalidatePath(`/admin/users/${userId}`);
  revalidatePath("/admin/users");
}

/** The report's "Change plan": moves the live subscription to another plan (audited by the service). */
export async function changeUserPlanAction(_prev: ActionState<{ planId: string }>, form: FormData): Promise<ActionResult<{ planId: string }>> {
  const values = pickValues(form, ["planId"]);
  const parsed = ChangePlanSchema.safeParse({ userId: form.get("userId"), planId: form.get("planId") });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  try {
    const result = await changeUserPlan(admin, parsed.data.userId, parsed.data.planId);
    revalidateReport(parsed.data.userId);
    return { ok: true, data: result };
  } catch (err) {
    return actionFailure(err, values);
  }
}

/** The report's "Change status": active, suspended or banned with a reason; never one's own account. */
export async function changeAccountStatusAction(_prev: ActionState<{ status: string }>, form: FormData): Promise<ActionResult<{ status: string }>> {
  const values = pickValues(form, ["status", "reason"]);
  const parsed = ChangeStatusSchema.safeParse({ userId: form.get("userId"), status: form.get("status"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  const { userId, status, reason } = parsed.data;
  if (userId === admin.id) return failure("You cannot change the status of your own account.", { values });
  try {
    await changeUserStatus(admin, userId, status, reason || null);
    revalidateReport(userId);
    return { ok: true, data: { status } };
  } catch (err) {
    return actionFailure(err, values);
  }
}
