import { withApi } from "@/lib/api/handler";
import { currentSessionId } from "@/lib/api/authenticate";
import { clientIp } from "@/lib/http/client-ip";
import { changePassword } from "@/lib/services/passwords";
import { ChangePasswordSchema } from "@/lib/validation/account-security";

/** A new password, with the current one; every other session ends (this one stays, unless the caller used a personal token). */
export const POST = withApi({ auth: "user", body: ChangePasswordSchema }, async ({ actor, body, req }) => {
  await changePassword(actor, body, await currentSessionId(req), clientIp(req.headers));
  return new Response(null, { status: 204 });
});
