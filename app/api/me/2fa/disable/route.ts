import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { disableTwoFactor } from "@/lib/services/two-factor";
import { DisableTwoFactorSchema } from "@/lib/validation/account-security";

/** Turns two-factor off: the password and a current code (or an unused recovery code). */
export const POST = withApi({ auth: "user", body: DisableTwoFactorSchema }, async ({ actor, body, req }) => {
  await disableTwoFactor(actor, body, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
