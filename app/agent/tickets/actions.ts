"use server";

import { z } from "zod";
import { bulkUpdateTickets, updateTicket } from "@/lib/services/support";
import { TagListSchema, UpdateTicketSchema } from "@/lib/validation/support";
import { BulkUpdateSchema } from "@/lib/validation/support-tools";
import { IdSchema } from "@/lib/validation/ids";
import { defineAction, defineFormAction } from "@/lib/actions/define-action";

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

/** The ticket's whole tag list (the tag editor sends it after each add or remove). */
export const setTicketTagsAction = defineAction(
  { auth: "support.work", input: z.object({ id: IdSchema, tags: TagListSchema }), notFound: NOT_FOUND, revalidate },
  async ({ actor, input }) => {
    const ticket = await updateTicket(actor, input.id, { tags: input.tags });
    return { tags: ticket.tags };
  },
);

/** The queue's bulk bar: assign, change the status or add tags to the selected tickets. */
export const bulkUpdateTicketsAction = defineAction(
  { auth: "support.work", input: BulkUpdateSchema, revalidate: ["/agent/tickets"] },
  async ({ actor, input }) => bulkUpdateTickets(actor, input),
);
