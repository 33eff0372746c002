import { z } from "zod";
import { ACCOUNT_STATUSES } from "@/db/schema/users";

export const AccountStatusSchema = z
  .object({
    status: z.enum(ACCOUNT_STATUSES),
    reason: z.string().trim().max(500).optional().default(""),
  })
  .refine((v) => v.status === "active" || v.reason.length > 0, { message: "Give a reason", path: ["reason"] });

export const ChangePlanSchema = z.object({ planId: z.string().trim().min(1, "Choose a plan").max(64) });

export const DaysQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
