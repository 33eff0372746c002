import { z } from "zod";
import { EmailSchema, PasswordSchema } from "./account";

/** What sign-in, password changes and two-factor accept: the boundary of each (routes, actions, Auth.js). */

/** A one-time code as typed: six digits from the app, or a recovery code (hex groups with dashes). */
export const CodeSchema = z
  .string()
  .trim()
  .min(6, "Enter the 6-digit code from your app")
  .max(40, "That code is too long");

export const ChangePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(256),
  newPassword: PasswordSchema,
});
export type ChangePassword = z.infer<typeof ChangePasswordSchema>;

export const PasswordResetRequestSchema = z.object({ email: EmailSchema });

/** 32 random bytes, base64url: anything else cannot be a token, and is refused before any query. */
export const EmailTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid");

export const PasswordResetConfirmSchema = z.object({ token: EmailTokenSchema, newPassword: PasswordSchema });

export const VerifyEmailSchema = z.object({ token: EmailTokenSchema });

export const EnableTwoFactorSchema = z.object({ code: CodeSchema });

/** Turning two-factor off takes the password and a current code or an unused recovery code. */
export const DisableTwoFactorSchema = z
  .object({
    code: CodeSchema.optional(),
    recoveryCode: CodeSchema.optional(),
    password: z.string().min(1, "Enter your password").max(256),
  })
  .refine((v) => !!v.code || !!v.recoveryCode, { message: "Enter a code from your app or a recovery code", path: ["code"] });
export type DisableTwoFactor = z.infer<typeof DisableTwoFactorSchema>;

export const StaffTwoFactorSettingSchema = z.object({ requireStaffTwoFactor: z.boolean() });
