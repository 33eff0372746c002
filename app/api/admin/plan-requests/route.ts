import { withApi } from "@/lib/api/handler";
import { listPlanRequests } from "@/lib/dal/plans";
import { PlanRequestsQuerySchema } from "@/lib/validation/plans";

/** GET /api/admin/plan-requests?status=pending|approved|rejected|cancelled|all&limit=&cursor= → {items, nextCursor}; pending ones oldest first. */
export const GET = withApi({ auth: "admin", query: PlanRequestsQuerySchema }, ({ actor, query }) => listPlanRequests(actor, query));
