import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { confirmPasswordReset } from "@/lib/services/passwords";
import { PasswordResetConfirmSchema } from "@/lib/validation/account-security";

/** A reset link's token and the new password: 204, the token is spent and every session of the account ends. */
export const POST = withApi({ auth: "public", body: PasswordResetConfirmSchema }, async ({ body, req }) => {
  await confirmPasswordReset(body.token, body.newPassword, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
