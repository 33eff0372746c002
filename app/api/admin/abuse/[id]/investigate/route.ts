import { withApi } from "@/lib/api/handler";
import { investigateIncident } from "@/lib/services/abuse/incidents";
import { InvestigateIncidentSchema } from "@/lib/validation/abuse";

/** POST /api/admin/abuse/:id/investigate {note?} → the incident, now "investigating" (extension); 409 unless pending. */
export const POST = withApi({ auth: "admin", body: InvestigateIncidentSchema }, ({ actor, params, body }) =>
  investigateIncident(actor, params.id!, body.note),
);
