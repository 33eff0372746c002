"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { getCurrentSession } from "@/lib/auth/session";
import { changePassword } from "@/lib/services/passwords";
import { disableTwoFactor } from "@/lib/services/two-factor";
import { ChangePasswordSchema, CodeSchema } from "@/lib/validation/account-security";

const SETTINGS = ["/settings"] as const;

const ChangePasswordInput = ChangePasswordSchema.extend({ confirmPassword: z.string().max(256) }).refine((v) => v.newPassword === v.confirmPassword, {
  message: "The two new passwords are not the same",
  path: ["confirmPassword"],
});

/** A new password with the current one; every other browser is signed out, this one stays. */
export const changePasswordAction = defineFormAction({ auth: "user", input: ChangePasswordInput, revalidate: SETTINGS }, async ({ actor, input, ip }) => {
  const current = await getCurrentSession();
  return changePassword(actor, input, current?.sessionId ?? null, ip);
});

/** Turning two-factor off: the password and a code from the app or a recovery code (one field takes either). */
export const disableTwoFactorAction = defineFormAction(
  { auth: "user", input: z.object({ password: z.string().min(1, "Enter your password").max(256), code: CodeSchema }), revalidate: SETTINGS },
  async ({ actor, input, ip }) => {
    await disableTwoFactor(actor, { password: input.password, code: input.code }, ip);
    return null;
  },
);
