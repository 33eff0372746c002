import { withApi } from "@/lib/api/handler";
import { currentSessionId } from "@/lib/api/authenticate";
import { listOpenSessions } from "@/lib/dal/sessions";

export const GET = withApi({ auth: "user" }, async ({ actor, req }) => ({ items: await listOpenSessions(actor, await currentSessionId(req)) }));
