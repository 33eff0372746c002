import { withApi } from "@/lib/api/handler";
import { getMyPlan } from "@/lib/dal/plans";

/**
 * GET /api/me/plan → {plan: {id, name, deviceLimit, monthlyDataBytes, deviceLifetimeDays, priceCents}, devicesUsed,
 * dataUsedBytes, periodResetsAt, timeZone, blockedUntil, pendingRequest, available}.
 */
export const GET = withApi({ auth: "user" }, ({ actor }) => getMyPlan(actor));
