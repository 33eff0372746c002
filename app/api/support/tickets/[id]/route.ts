import { withApi } from "@/lib/api/handler";
import { UpdateTicketSchema } from "@/lib/validation/support";
import { getTicket, updateTicket } from "@/lib/services/support";

/** The ticket with its conversation; internal notes only for staff. Another user's ticket is 404. */
export const GET = withApi({ auth: "user" }, async ({ actor, params }) => getTicket(actor, params.id!));

/** Staff: status, priority, assignee. The requester may only close their own ticket. */
export const PATCH = withApi({ auth: "user", body: UpdateTicketSchema }, async ({ actor, params, body }) => updateTicket(actor, params.id!, body));
