"use server";

import { z } from "zod";
import { ACCOUNT_STATUSES, ROLES } from "@/lib/dal/admin-users";
import { changeUserRole, changeUserStatus } from "@/lib/services/accounts";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const NOT_FOUND = "This user could not be found.";
const USERS = ["/admin/users"] as const;

const ChangeRoleSchema = z.object({
  id: IdSchema,
  role: z.enum(ROLES, { message: "Choose a role" }),
});

const ChangeStatusSchema = z
  .object({
    id: IdSchema,
    status: z.enum(ACCOUNT_STATUSES, { message: "Choose a status" }),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters").default(""),
  })
  // Suspending or banning someone needs a reason the next admin (and the audit log) can read.
  .refine((v) => v.status === "active" || v.reason.length > 0, { path: ["reason"], message: "Give a reason" });

export const changeUserRoleAction = defineFormAction({ auth: "users.manage", input: ChangeRoleSchema, notFound: NOT_FOUND, revalidate: USERS }, async ({ actor, input }) => {
  await changeUserRole(actor, input.id, input.role);
  return null;
});

export const changeUserStatusAction = defineFormAction(
  { auth: "users.manage", input: ChangeStatusSchema, values: ["status", "reason"], notFound: NOT_FOUND, revalidate: USERS },
  async ({ actor, input: { id, status, reason } }) => {
    await changeUserStatus(actor, id, status, reason || null);
    return null;
  },
);
