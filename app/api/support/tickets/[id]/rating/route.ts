import { withApi } from "@/lib/api/handler";
import { RatingSchema } from "@/lib/validation/support";
import { rateTicket } from "@/lib/services/support";

/** The requester's rating, once the ticket is resolved or closed, once. */
export const POST = withApi({ auth: "user", body: RatingSchema }, async ({ actor, params, body }) => rateTicket(actor, params.id!, body));
