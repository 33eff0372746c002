"use server";

import { z } from "zod";
import { rateTicket, updateTicket } from "@/lib/services/support";
import { RatingSchema } from "@/lib/validation/support";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const NOT_FOUND = "This ticket could not be found.";
const ById = z.object({ id: IdSchema });

/** The requester closes their own ticket. */
export const closeTicketAction = defineFormAction(
  { auth: "user", input: ById, notFound: NOT_FOUND, revalidate: ({ id }) => [`/support/${id}`, "/support"] },
  async ({ actor, input }) => {
    await updateTicket(actor, input.id, { status: "closed" });
    return null;
  },
);

/** The requester's rating, from the ticket page or the emailed link's page: saved only on this POST. */
export const rateTicketAction = defineFormAction(
  { auth: "user", input: RatingSchema.extend({ id: IdSchema }), values: ["feedback"], notFound: NOT_FOUND, revalidate: ({ id }) => [`/support/${id}`] },
  async ({ actor, input: { id, ...rating } }) => {
    await rateTicket(actor, id, rating);
    return null;
  },
);
