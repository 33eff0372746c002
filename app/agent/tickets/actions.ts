"use server";

import { z } from "zod";
import { updateTicket } from "@/lib/services/support";
import { UpdateTicketSchema } from "@/lib/validation/support";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const NOT_FOUND = "This ticket could not be found.";
const revalidate = ({ id }: { id: string }) => [`/agent/tickets/${id}`, "/agent/tickets"];

export const assignToMeAction = defineFormAction(
  { auth: "support.work", input: z.object({ id: IdSchema }), notFound: NOT_FOUND, revalidate },
  async ({ actor, input }) => {
    await updateTicket(actor, input.id, { assignedToId: actor.id });
    return null;
  },
);

const UpdateTicketFormSchema = z.object({
  id: IdSchema,
  ...UpdateTicketSchema.shape,
  // The "Unassigned" option sends "": that unassigns, whereas a missing field changes nothing.
  assignedToId: z.preprocess((v) => (v === "" ? null : v), UpdateTicketSchema.shape.assignedToId),
});

/** Status, priority and assignee in one form; fields left as they were change nothing. */
export const updateTicketAction = defineFormAction(
  { auth: "support.work", input: UpdateTicketFormSchema, values: ["status", "priority", "assignedToId"], notFound: NOT_FOUND, revalidate },
  async ({ actor, input: { id, ...patch } }) => {
    await updateTicket(actor, id, patch);
    return null;
  },
);
