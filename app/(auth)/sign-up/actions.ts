"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { signUp } from "@/lib/services/accounts";
import { SignUpSchema } from "@/lib/validation/account";
import { defineFormAction } from "@/lib/actions/define-action";

export const signUpAction = defineFormAction({ auth: "public", input: SignUpSchema, values: ["name", "email"] }, async ({ input, ip }) => {
  // A duplicate email (SIGNUP_MODE=open) is an AppError with details on "email": the wrapper turns it into that field's error.
  const result = await signUp(input, ip);
  // SIGNUP_MODE=verify: the same answer for a new address and a taken one; the link in the email confirms the address.
  if (result.outcome === "check_email") redirect("/sign-in?verify=1");
  try {
    // On success Auth.js throws Next's redirect to /devices, which the wrapper lets through.
    await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/devices" });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    // The account exists; if the automatic sign-in was refused (e.g. a busy shared address), let the user sign in by hand.
    redirect("/sign-in?created=1");
  }
  return null;
});
