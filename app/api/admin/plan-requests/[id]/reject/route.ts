import { withApi } from "@/lib/api/handler";
import { decidePlanRequest } from "@/lib/services/plan-requests";
import { PlanDecisionSchema } from "@/lib/validation/plans";

/** POST /api/admin/plan-requests/:id/reject {note?} → request; the note is shown to the requester. 409 once decided. */
export const POST = withApi({ auth: "admin", body: PlanDecisionSchema }, ({ actor, params, body }) => decidePlanRequest(actor, params.id!, "reject", body.note));
