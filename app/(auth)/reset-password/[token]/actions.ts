"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { confirmPasswordReset } from "@/lib/services/passwords";
import { PasswordResetConfirmSchema } from "@/lib/validation/account-security";

const Input = PasswordResetConfirmSchema.extend({ confirmPassword: z.string().max(256) }).refine((v) => v.newPassword === v.confirmPassword, {
  message: "The two passwords are not the same",
  path: ["confirmPassword"],
});

/** A reset link's form: the new password; every session ends, then sign in again. */
export const resetPasswordAction = defineFormAction({ auth: "public", input: Input }, async ({ input, ip }) => {
  await confirmPasswordReset(input.token, input.newPassword, ip);
  redirect("/sign-in?reset=1");
});
