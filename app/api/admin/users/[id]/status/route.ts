import { withApi } from "@/lib/api/handler";
import { changeUserStatus } from "@/lib/services/accounts";
import { AccountStatusSchema } from "@/lib/validation/admin";

export const POST = withApi({ auth: "admin", body: AccountStatusSchema }, ({ actor, params, body }) => changeUserStatus(actor, params.id!, body.status, body.reason || null));
