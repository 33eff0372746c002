import { z } from "zod";
import { INCIDENT_TYPES, SEVERITIES } from "@/lib/abuse/types";
import { IdSchema } from "./ids";

/** Inputs of the abuse mitigations (manual and user-reported incidents, warnings, throttles), shared by the API routes and the server actions. */

export const DESCRIPTION_MAX = 2000;

/** An optional field: absent, null and "" (an empty form field) all mean "not given". */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v), schema.optional());
/** Throttle bounds: the database's check (8 kbit/s up to 10 Gbit/s), and at most 30 days at a time. */
export const THROTTLE_MIN_KBIT = 8;
export const THROTTLE_MAX_KBIT = 10_000_000;
export const THROTTLE_MAX_HOURS = 720;

/** POST /api/admin/abuse: `manual` without a ticket (admins), `user_report` with one (support staff too). */
export const ReportIncidentSchema = z
  .object({
    userId: IdSchema,
    type: z.enum(INCIDENT_TYPES, { message: "Choose an incident type" }),
    severity: z.enum(SEVERITIES, { message: "Choose a severity" }),
    description: z.string().trim().min(1, "Describe what was seen").max(DESCRIPTION_MAX, `Keep the description under ${DESCRIPTION_MAX} characters`),
    ticketId: optional(IdSchema),
  })
  .strict();
export type ReportIncident = z.infer<typeof ReportIncidentSchema>;

/** POST /api/admin/users/:id/throttle: a rate in kbit/s (1 kbit = 1000 bits) for a number of hours; reason and incident are optional extensions. */
export const ThrottleSchema = z
  .object({
    rateKbit: z.coerce
      .number({ message: "Give a rate in kbit/s" })
      .int("Give a whole number of kbit/s")
      .min(THROTTLE_MIN_KBIT, `At least ${THROTTLE_MIN_KBIT} kbit/s`)
      .max(THROTTLE_MAX_KBIT, `At most ${THROTTLE_MAX_KBIT.toLocaleString("en")} kbit/s`),
    hours: z.coerce
      .number({ message: "Give a number of hours" })
      .positive("Give a number of hours above 0")
      .max(THROTTLE_MAX_HOURS, `At most ${THROTTLE_MAX_HOURS} hours`),
    reason: optional(z.string().trim().max(500, "Keep the reason under 500 characters")),
    incidentId: optional(IdSchema),
  })
  .strict();
export type ThrottleInput = z.infer<typeof ThrottleSchema>;

/** GET /api/admin/users/:id/abuse: one page of the user's incidents, newest first. */
export const UserAbuseQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(300).optional(),
  })
  .strict();
