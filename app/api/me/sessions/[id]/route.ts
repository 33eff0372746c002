import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { revokeSession } from "@/lib/services/sessions";

export const DELETE = withApi({ auth: "user" }, async ({ actor, params, req }) => {
  await revokeSession(actor, params.id ?? "", clientIp(req.headers));
  return new Response(null, { status: 204 });
});
