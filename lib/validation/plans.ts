import { z } from "zod";
import { PLAN_REQUEST_STATUSES } from "@/db/schema/billing";
import { blankAsAbsent, IdSchema } from "./ids";

/** Data allowances are whole GB of 10^9 bytes (plans.monthly_data_gb). */
export const GB = 1_000_000_000;
export const MAX_DEVICE_LIMIT = 10_000;
export const MAX_LIFETIME_DAYS = 3650;
export const MAX_DATA_GB = 1_000_000;
export const MAX_PRICE_CENTS = 10_000_000;

const whole = (what: string) => z.number({ message: `${what} must be a number` }).int(`${what} must be a whole number`);

/** A plan's fields as the API shows them (camelCase); null means "the default" (device limit), "unlimited" (data) or "never" (lifetime). */
const planFields = {
  name: z.string().trim().min(1, "Enter a name").max(64, "Keep the name under 64 characters"),
  deviceLimit: whole("deviceLimit").min(1, "deviceLimit must be at least 1").max(MAX_DEVICE_LIMIT, `deviceLimit must be at most ${MAX_DEVICE_LIMIT}`).nullable(),
  monthlyDataBytes: whole("monthlyDataBytes")
    .min(GB, "monthlyDataBytes must be at least 1 GB (10^9 bytes)")
    .max(MAX_DATA_GB * GB, `monthlyDataBytes must be at most ${MAX_DATA_GB} GB`)
    .refine((n) => n % GB === 0, "monthlyDataBytes must be whole GB (a multiple of 10^9)")
    .nullable(),
  deviceLifetimeDays: whole("deviceLifetimeDays").min(1, "deviceLifetimeDays must be at least 1").max(MAX_LIFETIME_DAYS, `deviceLifetimeDays must be at most ${MAX_LIFETIME_DAYS}`).nullable(),
  priceCents: whole("priceCents").min(0, "priceCents cannot be negative").max(MAX_PRICE_CENTS, `priceCents must be at most ${MAX_PRICE_CENTS}`),
};

/** POST /api/admin/plans. `id` (letters, digits, - and _) is made from the name when absent. Unknown fields are refused. */
export const CreatePlanSchema = z
  .object({
    id: IdSchema.max(40).optional(),
    name: planFields.name,
    deviceLimit: planFields.deviceLimit.default(null),
    monthlyDataBytes: planFields.monthlyDataBytes.default(null),
    deviceLifetimeDays: planFields.deviceLifetimeDays.default(null),
    priceCents: planFields.priceCents.default(0),
  })
  .strict();
export type CreatePlan = z.infer<typeof CreatePlanSchema>;

/** PATCH /api/admin/plans/:id: any of the fields, at least one. */
export const UpdatePlanSchema = z
  .object({
    name: planFields.name.optional(),
    deviceLimit: planFields.deviceLimit.optional(),
    monthlyDataBytes: planFields.monthlyDataBytes.optional(),
    deviceLifetimeDays: planFields.deviceLifetimeDays.optional(),
    priceCents: planFields.priceCents.optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one field to change" });
export type UpdatePlan = z.infer<typeof UpdatePlanSchema>;

const Note = z.string().trim().max(500, "Keep the note under 500 characters");

/** POST /api/me/plan/requests. */
export const PlanRequestSchema = z.object({ planId: IdSchema }).strict();
export type PlanRequestInput = z.infer<typeof PlanRequestSchema>;

/** POST /api/admin/plan-requests/:id/approve|reject: the admin's note, which the requester sees with the decision. */
export const PlanDecisionSchema = z.object({ note: blankAsAbsent(Note) }).strict();

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/** GET /api/admin/plan-requests: pending first by default; `all` for every status. */
export const PlanRequestsQuerySchema = z.object({
  status: z.preprocess(emptyAsUndefined, z.enum([...PLAN_REQUEST_STATUSES, "all"]).default("pending")),
  limit: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(50).transform((n) => Math.min(n, 200))),
  cursor: z.preprocess(emptyAsUndefined, z.string().max(500).optional()),
});
export type PlanRequestsQuery = z.infer<typeof PlanRequestsQuerySchema>;

/** POST /api/vpn/peers/:id/move. */
export const MovePeerSchema = z.object({ serverId: IdSchema });

/** DELETE /api/me: the password, and the two-factor code (or a recovery code) when two-factor is on. */
export const DeleteAccountSchema = z.object({
  password: z.string().min(1, "Enter your password").max(1024),
  code: blankAsAbsent(z.string().trim().max(64)),
});
export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;
