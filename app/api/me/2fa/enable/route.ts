import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { enableTwoFactor } from "@/lib/services/two-factor";
import { EnableTwoFactorSchema } from "@/lib/validation/account-security";

/** A first code from the app turns two-factor on: `{recoveryCodes}`, ten single-use codes shown this once. */
export const POST = withApi({ auth: "user", body: EnableTwoFactorSchema, duringTwoFactorSetup: true }, async ({ actor, body, req }) =>
  enableTwoFactor(actor, body.code, clientIp(req.headers)),
);
