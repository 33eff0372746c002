import { withApi } from "@/lib/api/handler";
import { getMyAnalytics } from "@/lib/dal/analytics";
import { DaysQuerySchema } from "@/lib/validation/admin";

export const GET = withApi({ auth: "user", query: DaysQuerySchema }, ({ actor, query }) => getMyAnalytics(actor, query.days));
