import { z } from "zod";
import { withApi } from "@/lib/api/handler";
import { warnIncidentUser } from "@/lib/services/abuse/warnings";
import { OptionalNoteSchema } from "@/lib/validation/abuse";

/** POST /api/admin/abuse/:id/warn {note?} → the incident with warningSent: true; the email goes through the outbox; 409 when already sent. */
export const POST = withApi({ auth: "admin", body: z.object({ note: OptionalNoteSchema }).strict() }, ({ actor, params, body }) =>
  warnIncidentUser(actor, params.id!, body.note),
);
