import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { resendVerificationEmail } from "@/lib/services/email-verification";

/** Sends the verification link again: 202 (`{sent: false}` when the address is already confirmed). */
export const POST = withApi({ auth: "user" }, async ({ actor, req }) => {
  const result = await resendVerificationEmail(actor, clientIp(req.headers));
  return Response.json(result, { status: 202 });
});
