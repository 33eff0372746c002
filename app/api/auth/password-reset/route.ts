import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { requestPasswordReset } from "@/lib/services/passwords";
import { PasswordResetRequestSchema } from "@/lib/validation/account-security";

/** "Forgot password": 202 whether or not the address has an account; its owner gets a link by email. */
export const POST = withApi({ auth: "public", body: PasswordResetRequestSchema }, async ({ body, req }) => {
  await requestPasswordReset(body.email, clientIp(req.headers));
  return new Response(null, { status: 202 });
});
