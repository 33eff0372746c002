import { z } from "zod";
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES } from "@/lib/abuse/types";

/** Inputs of the abuse queue, shared by the API routes and the server actions. */
const NOTE_MAX = 2000;

export const IncidentNoteSchema = z
  .string()
  .trim()
  .min(1, "Write a note")
  .max(NOTE_MAX, `Keep the note under ${NOTE_MAX} characters`);

export const OptionalNoteSchema = z
  .string()
  .trim()
  .max(NOTE_MAX, `Keep the note under ${NOTE_MAX} characters`)
  .optional()
  .nullable()
  .transform((v) => (v ? v : null));

export const IncidentListQuerySchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    type: z.enum(INCIDENT_TYPES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(300).optional(),
  })
  .strict();
export type IncidentListQuery = z.infer<typeof IncidentListQuerySchema>;

export const AbuseStatsQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(3650).default(30) }).strict();

export const ResolveIncidentSchema = z
  .object({
    status: z.enum(["resolved", "false_positive"], { message: "Choose resolved or false_positive" }),
    note: IncidentNoteSchema,
  })
  .strict();
export type ResolveIncident = z.infer<typeof ResolveIncidentSchema>;

export const InvestigateIncidentSchema = z.object({ note: OptionalNoteSchema }).strict();

export const SuspendIncidentUserSchema = z.object({ note: IncidentNoteSchema }).strict();
export const RestoreIncidentUserSchema = z.object({ note: OptionalNoteSchema }).strict();
