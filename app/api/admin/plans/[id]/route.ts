import { withApi } from "@/lib/api/handler";
import { getPlanForAdmin } from "@/lib/dal/plans";
import { updatePlan } from "@/lib/services/plans";
import { UpdatePlanSchema } from "@/lib/validation/plans";

export const GET = withApi({ auth: "admin" }, ({ actor, params }) => getPlanForAdmin(actor, params.id!));

/** PATCH /api/admin/plans/:id {name?, deviceLimit?, monthlyDataBytes?, deviceLifetimeDays?, priceCents?} → plan; every subscriber has it at once. */
export const PATCH = withApi({ auth: "admin", body: UpdatePlanSchema }, ({ actor, params, body }) => updatePlan(actor, params.id!, body));
