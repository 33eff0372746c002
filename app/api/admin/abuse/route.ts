import { withApi } from "@/lib/api/handler";
import { listIncidents } from "@/lib/dal/abuse";
import { IncidentListQuerySchema } from "@/lib/validation/abuse";

/** GET /api/admin/abuse?status=&type=&severity=&limit=&cursor= → {items, nextCursor}: pending first, then investigating, then closed. */
export const GET = withApi({ auth: "admin", query: IncidentListQuerySchema }, ({ actor, query }) => listIncidents(actor, query));
