import { withApi } from "@/lib/api/handler";
import { listUserIncidents } from "@/lib/dal/abuse-history";
import { UserAbuseQuerySchema } from "@/lib/validation/abuse-mitigation";

/** GET /api/admin/users/:id/abuse?limit=&cursor= → {items, nextCursor}: the user's incidents, newest first, whatever their status. */
export const GET = withApi({ auth: "admin", query: UserAbuseQuerySchema }, ({ actor, params, query }) => listUserIncidents(actor, params.id!, query));
