import { withApi } from "@/lib/api/handler";
import { listServersForUser } from "@/lib/dal/servers";

export const GET = withApi({ auth: "user" }, async ({ actor }) => ({ items: await listServersForUser(actor), nextCursor: null }));
