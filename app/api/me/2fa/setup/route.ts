import { withApi } from "@/lib/api/handler";
import { startTwoFactorSetup } from "@/lib/services/two-factor";

/** A new authenticator secret to confirm with /enable: `{secret, otpauthUrl}`. Open to staff who must enrol. */
export const POST = withApi({ auth: "user", duringTwoFactorSetup: true }, async ({ actor }) => startTwoFactorSetup(actor));
