"use server";

import { z } from "zod";
import { triggerJob } from "@/lib/jobs/trigger";
import { findUserIdByEmail } from "@/lib/dal/abuse-history";
import { AppError } from "@/lib/errors";
import { investigateIncident, resolveIncident, restoreIncidentUser, suspendIncidentUser } from "@/lib/services/abuse/incidents";
import { reportIncident } from "@/lib/services/abuse/reports";
import { warnIncidentUser } from "@/lib/services/abuse/warnings";
import { liftThrottle, throttleUser } from "@/lib/services/throttle";
import { InvestigateIncidentSchema, OptionalNoteSchema, ResolveIncidentSchema, RestoreIncidentUserSchema, SuspendIncidentUserSchema } from "@/lib/validation/abuse";
import { ReportIncidentSchema, ThrottleSchema } from "@/lib/validation/abuse-mitigation";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

/** One action per move on an incident, each over the one service function the API route calls too. */
const MOVE = {
  auth: "abuse.manage",
  values: ["note", "status"],
  notFound: "Unknown incident.",
  revalidate: ({ id }: { id: string }) => ["/admin/abuse", `/admin/abuse/${id}`],
} as const;

export const investigateIncidentAction = defineFormAction(
  { ...MOVE, input: z.object({ id: IdSchema, ...InvestigateIncidentSchema.shape }) },
  async ({ actor, input }) => {
    await investigateIncident(actor, input.id, input.note);
    return null;
  },
);

export const resolveIncidentAction = defineFormAction(
  { ...MOVE, input: z.object({ id: IdSchema, ...ResolveIncidentSchema.shape }) },
  async ({ actor, input: { id, ...resolution } }) => {
    await resolveIncident(actor, id, resolution);
    return null;
  },
);

export const suspendIncidentUserAction = defineFormAction(
  { ...MOVE, input: z.object({ id: IdSchema, ...SuspendIncidentUserSchema.shape }) },
  async ({ actor, input }) => {
    await suspendIncidentUser(actor, input.id, input.note);
    return null;
  },
);

export const restoreIncidentUserAction = defineFormAction(
  { ...MOVE, input: z.object({ id: IdSchema, ...RestoreIncidentUserSchema.shape }) },
  async ({ actor, input }) => {
    await restoreIncidentUser(actor, input.id, input.note);
    return null;
  },
);

/** "Send warning": the email through the outbox, warningSent on the incident (POST /api/admin/abuse/:id/warn). */
export const warnIncidentAction = defineFormAction({ ...MOVE, input: z.object({ id: IdSchema, note: OptionalNoteSchema }) }, async ({ actor, input }) => {
  await warnIncidentUser(actor, input.id, input.note);
  return null;
});

/**
 * "Open incident" (POST /api/admin/abuse without a ticket): the user is named by
 * id (from their page) or by email (from the queue).
 */
const OpenIncidentSchema = ReportIncidentSchema.omit({ userId: true, ticketId: true }).extend({
  userId: blankAsAbsent(IdSchema),
  email: blankAsAbsent(z.string().trim().max(320)),
});

export const openIncidentAction = defineFormAction(
  {
    auth: "abuse.manage",
    input: OpenIncidentSchema.refine((v) => v.userId || v.email, { path: ["email"], message: "Give the account's email" }),
    values: ["email", "type", "severity", "description"],
    revalidate: ({ userId }) => ["/admin/abuse", ...(userId ? [`/admin/users/${userId}`] : [])],
  },
  async ({ actor, input }) => {
    const userId = input.userId ?? (await findUserIdByEmail(actor, input.email!));
    if (!userId) throw new AppError("validation_error", "No account has this email", [{ path: "email", message: "No account has this email" }]);
    const incident = await reportIncident(actor, { userId, type: input.type, severity: input.severity, description: input.description });
    return { id: incident.id };
  },
);

/** The throttle control (user page and incident page): POST /api/admin/users/:id/throttle. */
export const throttleUserAction = defineFormAction(
  {
    auth: "abuse.manage",
    input: ThrottleSchema.extend({ userId: IdSchema }),
    values: ["rateKbit", "hours", "reason"],
    notFound: "This user could not be found.",
    revalidate: ({ userId, incidentId }) => ["/admin/abuse", `/admin/users/${userId}`, ...(incidentId ? [`/admin/abuse/${incidentId}`] : [])],
  },
  async ({ actor, input: { userId, ...throttle } }) => {
    const result = await throttleUser(actor, userId, throttle);
    return { until: result.until, rateKbit: result.rateKbit };
  },
);

/** "Lift throttle", one click: DELETE /api/admin/users/:id/throttle. */
export const liftThrottleAction = defineFormAction(
  {
    auth: "abuse.manage",
    input: z.object({ userId: IdSchema, incidentId: blankAsAbsent(IdSchema) }),
    notFound: "This user could not be found.",
    revalidate: ({ userId, incidentId }) => ["/admin/abuse", `/admin/users/${userId}`, ...(incidentId ? [`/admin/abuse/${incidentId}`] : [])],
  },
  async ({ actor, input }) => ({ lifted: (await liftThrottle(actor, input.userId)) !== null }),
);

/** "Run scan now": the same as Run now on /admin/jobs for the abuse job. */
export const runAbuseScanAction = defineFormAction({ auth: "jobs.run", input: z.object({}), revalidate: ["/admin/jobs"] }, ({ actor }) =>
  triggerJob("abuse", actor),
);
