import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { resetTwoFactor } from "@/lib/services/two-factor";

/** An admin turns a user's two-factor off (lost authenticator), audited. */
export const POST = withApi({ auth: "admin" }, async ({ actor, params, req }) => {
  await resetTwoFactor(actor, params.id!, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
