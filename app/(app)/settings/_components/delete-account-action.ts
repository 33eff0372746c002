"use server";

import { defineFormAction } from "@/lib/actions/define-action";
import { signOut } from "@/lib/auth/auth";
import { deleteAccount } from "@/lib/services/delete-account";
import { DeleteAccountSchema } from "@/lib/validation/plans";

/**
 * "Delete my account", confirmed by the password (and the two-factor code when
 * it is on). The service ends every session with the account; Auth.js then
 * clears this browser's cookie and sends it to the sign-in page. Nothing typed
 * is echoed back.
 */
export const deleteAccountAction = defineFormAction({ auth: "user", input: DeleteAccountSchema }, async ({ actor, input, ip }) => {
  await deleteAccount(actor, input, ip);
  await signOut({ redirectTo: "/sign-in" });
  return null;
});
