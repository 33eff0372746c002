import { withApi } from "@/lib/api/handler";
import { conditionalJson } from "@/lib/api/conditional";
import { getTicketLive } from "@/lib/services/support";

/** What an open ticket page polls (ETag/304): status, priority, assignee, tags, the newest visible message and, for staff, who else is on it. */
export const GET = withApi({ auth: "user" }, async ({ req, actor, params }) => conditionalJson(req, await getTicketLive(actor, params.id!)));
