"use server";

import { z } from "zod";
import { triggerJob } from "@/lib/jobs/trigger";
import { investigateIncident, resolveIncident, restoreIncidentUser, suspendIncidentUser } from "@/lib/services/abuse/incidents";
import { InvestigateIncidentSchema, ResolveIncidentSchema, RestoreIncidentUserSchema, SuspendIncidentUserSchema } from "@/lib/validation/abuse";
import { IdSchema } from "@/lib/validation/ids";
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

/** "Run scan now": the same as Run now on /admin/jobs for the abuse job. */
export const runAbuseScanAction = defineFormAction({ auth: "jobs.run", input: z.object({}), revalidate: ["/admin/jobs"] }, ({ actor }) =>
  triggerJob("abuse", actor),
);
