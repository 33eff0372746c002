import { withApi } from "@/lib/api/handler";
import { getIncident } from "@/lib/dal/abuse";

/** GET /api/admin/abuse/:id → one incident (extension). */
export const GET = withApi({ auth: "admin" }, ({ actor, params }) => getIncident(actor, params.id!));
