import { withApi } from "@/lib/api/handler";
import { getAdminDashboard } from "@/lib/dal/analytics";

export const GET = withApi({ auth: "admin" }, ({ actor }) => getAdminDashboard(actor));
