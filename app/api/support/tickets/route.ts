import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { CreateTicketSchema, ListTicketsQuerySchema } from "@/lib/validation/support";
import { createTicket, listTickets } from "@/lib/services/support";
import { MULTIPART_LIMIT } from "@/lib/support/attachments";

/** Users: their own tickets, newest first. Staff: every ticket, most urgent SLA first. */
export const GET = withApi({ auth: "user", query: ListTicketsQuerySchema }, async ({ actor, query }) => listTickets(actor, query));

/** JSON `{subject, description, category, priority}`, or multipart with the same fields and files. */
export const POST = withApi({ auth: "user", body: CreateTicketSchema, bodyType: "form", maxBodyBytes: MULTIPART_LIMIT }, async ({ actor, body, files }) =>
  NextResponse.json(await createTicket(actor, body, files), { status: 201 }),
);
