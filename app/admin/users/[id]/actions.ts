"use server";

import { z } from "zod";
import { ACCOUNT_STATUSES } from "@/lib/dal/admin-users";
import { changeUserStatus } from "@/lib/services/accounts";
import { changeUserPlan } from "@/lib/services/plans";
import { ID_PATTERN, IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const NOT_FOUND = "This user could not be found.";
const revalidateReport = ({ id }: { id: string }) => [`/admin/users/${id}`, "/admin/users"];

const ChangePlanSchema = z.object({
  id: IdSchema,
  planId: z.string().trim().min(1, "Choose a plan").regex(ID_PATTERN, "Choose a plan"),
});

const ChangeStatusSchema = z
  .object({
    id: IdSchema,
    status: z.enum(ACCOUNT_STATUSES, { message: "Choose a status" }),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters").default(""),
  })
  // Suspending or banning someone needs a reason the next admin (and the audit log) can read.
  .refine((v) => v.status === "active" || v.reason.length > 0, { path: ["reason"], message: "Give a reason" });

/** The report's "Change plan": moves the live subscription to another plan (audited by the service). */
export const changeUserPlanAction = defineFormAction(
  { auth: "plans.manage", input: ChangePlanSchema, values: ["planId"], notFound: NOT_FOUND, revalidate: revalidateReport },
  ({ actor, input }) => changeUserPlan(actor, input.id, input.planId),
);

/** The report's "Change status": active, suspended or banned with a reason; never one's own account. */
export const changeAccountStatusAction = defineFormAction(
  { auth: "users.manage", input: ChangeStatusSchema, values: ["status", "reason"], notFound: NOT_FOUND, revalidate: revalidateReport },
  async ({ actor, input: { id, status, reason } }) => {
    await changeUserStatus(actor, id, status, reason || null);
    return { status };
  },
);
