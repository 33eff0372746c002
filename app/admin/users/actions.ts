"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { ACCOUNT_STATUSES, ROLES, changeUserRole, changeUserStatus } from "@/lib/dal/admin-users";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const ChangeRoleSchema = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(ROLES, { message: "Choose a role" }),
});

const ChangeStatusSchema = z
  .object({
    userId: z.string().min(1).max(100),
    status: z.enum(ACCOUNT_STATUSES, { message: "Choose a status" }),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters"),
  })
  // Suspending or banning someone needs a reason the next admin (and the audit log) can read.
  .refine((v) => v.status === "active" || v.reason.length > 0, { path: ["reason"], message: "Give a reason" });

export async function changeUserRoleAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const parsed = ChangeRoleSchema.safeParse({ userId: form.get("userId"), role: form.get("role") });
  if (!parsed.success) return zodFailure(parsed.error);
  const admin = await requireRole("admin");
  try {
    await changeUserRole(admin, parsed.data.userId, parsed.data.role);
    revalidatePath("/admin/users");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function changeUserStatusAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["status", "reason"]);
  const parsed = ChangeStatusSchema.safeParse({ userId: form.get("userId"), status: form.get("status"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  const { userId, status, reason } = parsed.data;
  try {
    await changeUserStatus(admin, userId, status, reason || null);
    revalidatePath("/admin/users");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err, values);
  }
}
