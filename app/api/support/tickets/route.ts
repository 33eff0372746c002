import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { CreateTicketSchema, ListTicketsQuerySchema } from "@/lib/validation/support";
import { createTicket, listTickets } from "@/lib/services/support";
import { parseWith, readTicketBody } from "../_lib/body";
import { enforce, LIMITS } from "@/lib/services/rate-limit";

/** Users: their own tickets, newest first. Staff: every ticket, most urgent SLA first. */
export const GET = withApi({ auth: "user", query: ListTicketsQuerySchema }, async ({ actor, query }) => listTickets(actor, query));

/** JSON `{subject, description, category, priority}`, or multipart with the same fields and files. */
export const POST = withApi({ auth: "user" }, async ({ actor, req }) => {
  const { fields, files } = await readTicketBody(req);
  const input = await parseWith(CreateTicketSchema, fields);
  await enforce(LIMITS.ticketCreate(actor.id));
  return NextResponse.json(await createTicket(actor, input, files), { status: 201 });
});
