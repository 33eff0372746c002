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
const WRONG_CODE = "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.";

function lockedOut(seconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError("rate_limited", `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`, undefined, seconds);
}

/**
 * Sign-in in one or two steps: email and password, and for an account with
 * two-factor a code. Without a code such an account answers `{needsCode:
 * true}` (only after a right password) and the form asks for it, sending all
 * three again; Auth.js's credentials provider checks them in one request.
 */
export const signInAction = defineFormAction(
  { auth: "public", input: SignInSchema.extend({ callbackUrl: z.string().optional() }), values: ["email"] },
  async ({ input: { email, password, code, callbackUrl }, ip, headers }) => {
    // Checked first so a locked-out visitor gets the wait time rather than "incorrect".
    const wait = await signInLockout(email, ip);
    if (wait) throw lockedOut(wait);
    try {
      // On success Auth.js sets the session cookie and throws Next's redirect, which the wrapper lets through.
      await signIn("credentials", { email, password, ...(code ? { code } : {}), redirectTo: safeCallbackUrl(callbackUrl, requestHost(headers)) });
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      const reason = (err as CredentialsSignin).code;
      if (reason === "rate_limited") throw lockedOut((await signInLockout(email, ip)) ?? 60);
      if (reason === "two_factor_required") return { needsCode: true };
      if (reason === "invalid_code") throw new AppError("unauthenticated", WRONG_CODE, [{ path: "code", message: WRONG_CODE }]);
      throw new AppError("unauthenticated", INVALID);
    }
    return { needsCode: false };
  },
);
