import { withApi } from "@/lib/api/handler";
import { getAbuseStats } from "@/lib/dal/abuse";
import { AbuseStatsQuerySchema } from "@/lib/validation/abuse";

/** GET /api/admin/abuse/stats?days=30 → totals by type, severity and status in the period; pending and investigating now. */
export const GET = withApi({ auth: "admin", query: AbuseStatsQuerySchema }, ({ actor, query }) => getAbuseStats(actor, { days: query.days }));
