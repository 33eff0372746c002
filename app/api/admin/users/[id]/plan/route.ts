import { withApi } from "@/lib/api/handler";
import { changeUserPlan } from "@/lib/services/plans";
import { ChangePlanSchema } from "@/lib/validation/admin";

export const POST = withApi({ auth: "admin", body: ChangePlanSchema }, ({ actor, params, body }) => changeUserPlan(actor, params.id!, body.planId));
