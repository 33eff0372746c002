"use server";

import { z } from "zod";
import { AuthError, type CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { signInLockout } from "@/lib/services/sign-in";
import { SignInSchema } from "@/lib/validation/account";
import { AppError } from "@/lib/errors";
import { defineFormAction } from "@/lib/actions/define-action";
import { requestHost, safeCallbackUrl } from "../callback-url";

const INVALID = "Email or password is incorrect.";

function lockedOut(seconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError("rate_limited", `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, undefined, seconds);
}

export const signInAction = defineFormAction(
  { auth: "public", input: SignInSchema.extend({ callbackUrl: z.string().optional() }), values: ["email"] },
  async ({ input: { email, password, callbackUrl }, ip, headers }) => {
    // Checked first so a locked-out visitor gets the wait time rather than "incorrect".
    const wait = await signInLockout(email, ip);
    if (wait) throw lockedOut(wait);
    try {
      // On success Auth.js sets the session cookie and throws Next's redirect, which the wrapper lets through.
      await signIn("credentials", { email, password, redirectTo: safeCallbackUrl(callbackUrl, requestHost(headers)) });
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if ((err as CredentialsSignin).code === "rate_limited") throw lockedOut((await signInLockout(email, ip)) ?? 60);
      throw new AppError("unauthenticated", INVALID);
    }
    return null;
  },
);
