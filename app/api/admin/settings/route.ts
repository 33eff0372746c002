import { withApi } from "@/lib/api/handler";
import { clientIp } from "@/lib/http/client-ip";
import { authorize } from "@/lib/auth/policy";
import { isStaffTwoFactorRequired } from "@/lib/dal/two-factor";
import { setStaffTwoFactorRequired } from "@/lib/services/two-factor";
import { StaffTwoFactorSettingSchema } from "@/lib/validation/account-security";

/** The settings admins change at run time: `{requireStaffTwoFactor}`. */
export const GET = withApi({ auth: "admin" }, async ({ actor }) => {
  authorize(actor, "users.manage");
  return { requireStaffTwoFactor: await isStaffTwoFactorRequired() };
});

export const PATCH = withApi({ auth: "admin", body: StaffTwoFactorSettingSchema }, async ({ actor, body, req }) =>
  setStaffTwoFactorRequired(actor, body.requireStaffTwoFactor, clientIp(req.headers)),
);
