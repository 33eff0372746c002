import { withApi } from "@/lib/api/handler";
import { decidePlanRequest } from "@/lib/services/plan-requests";
import { PlanDecisionSchema } from "@/lib/validation/plans";

/** POST /api/admin/plan-requests/:id/approve {note?} → request; the account moves to the plan asked for. 409 once decided. */
export const POST = withApi({ auth: "admin", body: PlanDecisionSchema }, ({ actor, params, body }) => decidePlanRequest(actor, params.id!, "approve", body.note));
