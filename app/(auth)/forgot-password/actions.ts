"use server";

import { defineFormAction } from "@/lib/actions/define-action";
import { requestPasswordReset } from "@/lib/services/passwords";
import { PasswordResetRequestSchema } from "@/lib/validation/account-security";

/** "Forgot password": the same answer whether or not the address has an account. */
export const requestPasswordResetAction = defineFormAction(
  { auth: "public", input: PasswordResetRequestSchema, values: ["email"] },
  async ({ input, ip }) => {
    await requestPasswordReset(input.email, ip);
    return { email: input.email };
  },
);
