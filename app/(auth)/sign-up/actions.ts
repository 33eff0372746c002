"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { createAccount } from "@/lib/services/accounts";
import { enforce, LIMITS } from "@/lib/services/rate-limit";
import { SignUpSchema } from "@/lib/validation/account";
import { clientIp } from "@/lib/http/client-ip";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["name", "email"]);
  const parsed = SignUpSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return zodFailure(parsed.error, values);

  try {
    const ip = clientIp(await headers());
    await enforce(LIMITS.signUp(ip));
    await createAccount(parsed.data, null, ip);
  } catch (err) {
    // A duplicate email comes back as a field error on "email".
    return actionFailure(err, values);
  }

  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/devices" });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    // The account exists; if the automatic sign-in was refused (e.g. a busy shared address), let the user sign in by hand.
    redirect("/sign-in?created=1");
  }
  return { ok: true, data: null };
}
