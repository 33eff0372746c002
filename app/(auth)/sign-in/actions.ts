"use server";

import { headers } from "next/headers";
import { AuthError, type CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { signInLockout } from "@/lib/services/sign-in";
import { SignInSchema } from "@/lib/validation/account";
import { clientIp } from "@/lib/http/client-ip";
import { failure, pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { zodFailure } from "@/components/forms/action-error";
import { requestHost, safeCallbackUrl } from "../callback-url";

const INVALID = "Email or password is incorrect.";

function lockoutMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["email"]);
  const parsed = SignInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const { email, password } = parsed.data;

  // Checked first so a locked-out visitor gets the wait time rather than "incorrect".
  const h = await headers();
  const ip = clientIp(h);
  const wait = await signInLockout(email, ip);
  if (wait) return failure(lockoutMessage(wait), { values });

  try {
    // On success Auth.js sets the session cookie and throws Next's redirect, which must propagate.
    await signIn("credentials", { email, password, redirectTo: safeCallbackUrl(form.get("callbackUrl"), requestHost(h)) });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    if ((err as CredentialsSignin).code === "rate_limited") {
      return failure(lockoutMessage((await signInLockout(email, ip)) ?? 60), { values });
    }
    return failure(INVALID, { values });
  }
  return { ok: true, data: null };
}
