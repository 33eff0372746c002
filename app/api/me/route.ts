import { withApi } from "@/lib/api/handler";
import { getMe } from "@/lib/dal/users";
import { clientIp } from "@/lib/http/client-ip";
import { deleteAccount } from "@/lib/services/delete-account";
import { DeleteAccountSchema } from "@/lib/validation/plans";

export const GET = withApi({ auth: "user" }, ({ actor }) => getMe(actor));

/** DELETE /api/me {password, code?} → 204: the account is deleted (lib/services/delete-account.ts says what goes and what stays). */
export const DELETE = withApi({ auth: "user", body: DeleteAccountSchema }, async ({ actor, body, req }) => {
  await deleteAccount(actor, body, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
