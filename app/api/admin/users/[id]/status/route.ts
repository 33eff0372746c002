import { withApi } from "@/lib/api/handler";
import { setAccountStatus } from "@/lib/services/accounts";
import { AccountStatusSchema } from "@/lib/validation/admin";
import { AppError } from "@/lib/errors";

export const POST = withApi({ auth: "admin", body: AccountStatusSchema }, async ({ actor, params, body }) => {
  if (params.id === actor.id) throw new AppError("forbidden", "You cannot change your own status");
  return setAccountStatus(actor, params.id!, body.status, body.reason || null);
});
