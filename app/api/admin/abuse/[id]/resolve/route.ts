import { withApi } from "@/lib/api/handler";
import { resolveIncident } from "@/lib/services/abuse/incidents";
import { ResolveIncidentSchema } from "@/lib/validation/abuse";

/** POST /api/admin/abuse/:id/resolve {status: "resolved"|"false_positive", note} → the incident; 409 when already closed. */
export const POST = withApi({ auth: "admin", body: ResolveIncidentSchema }, ({ actor, params, body }) => resolveIncident(actor, params.id!, body));
