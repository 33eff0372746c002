import { z } from "zod";
import { ACCOUNT_STATUSES } from "@/db/schema/users";
import { idField } from "./ids";

export const AccountStatusSchema = z
  .object({
    status: z.enum(ACCOUNT_STATUSES),
    reason: z.string().trim().max(500).optional().default(""),
  })
  .refine((v) => v.status === "active" || v.reason.length > 0, { message: "Give a reason", path: ["reason"] });

/** POST /api/admin/users/:id/plan: the same id rule as the report page's "Change plan" action, so a NUL byte never reaches a query. */
export const ChangePlanSchema = z.object({ planId: idField("Choose a plan") });

export const DaysQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
