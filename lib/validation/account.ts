import { z } from "zod";

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .email("Enter a valid email address");

export const PasswordSchema = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(256, "Password must be at most 256 characters");

export const SignUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Name is too long"),
  email: EmailSchema,
  password: PasswordSchema,
});
export type SignUp = z.infer<typeof SignUpSchema>;

export const SignInSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, "Enter your password").max(256),
  /** Two-factor: the code from the app or a recovery code; an empty field counts as none. */
  code: z
    .string()
    .max(40)
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
});
export type SignIn = z.infer<typeof SignInSchema>;
