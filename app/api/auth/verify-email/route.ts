import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { confirmEmailVerification } from "@/lib/services/email-verification";
import { VerifyEmailSchema } from "@/lib/validation/account-security";

/** A verification link's token: 204, the address is confirmed (SIGNUP_MODE=verify). */
export const POST = withApi({ auth: "public", body: VerifyEmailSchema }, async ({ body, req }) => {
  await confirmEmailVerification(body.token, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
