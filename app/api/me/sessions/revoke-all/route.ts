import { withApi } from "@/lib/api/handler";
import { currentSessionId } from "@/lib/api/authenticate";
import { clientIp } from "@/lib/http/client-ip";
import { revokeOtherSessions } from "@/lib/services/sessions";

export const POST = withApi({ auth: "user" }, async ({ actor, req }) => {
  await revokeOtherSessions(actor, await currentSessionId(req), clientIp(req.headers));
  return new Response(null, { status: 204 });
});
