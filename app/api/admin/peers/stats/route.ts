import { withApi } from "@/lib/api/handler";
import { getSystemPeerStats } from "@/lib/dal/peer-stats";

export const GET = withApi({ auth: "admin" }, ({ actor }) => getSystemPeerStats(actor));
