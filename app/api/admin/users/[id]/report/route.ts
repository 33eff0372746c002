import { withApi } from "@/lib/api/handler";
import { getUserReport } from "@/lib/dal/analytics";

export const GET = withApi({ auth: "admin" }, ({ actor, params }) => getUserReport(actor, params.id!));
