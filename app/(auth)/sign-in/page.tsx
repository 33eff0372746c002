import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentSession, TWO_FACTOR_SETUP_PATH } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { Alert } from "@/components/ui/alert";
import { requestHost, safeCallbackUrl } from "../callback-url";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

/** What the page says after another flow sent the visitor here (`?created=1` and so on). */
const NOTICES: Record<string, string> = {
  created: "Your account was created. Sign in to continue.",
  verify: "Check your email: we sent a link to confirm your address. You can sign in meanwhile.",
  reset: "Your password was changed and every session was signed out. Sign in with the new password.",
  verified: "Your email address is confirmed. Sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = typeof params.callbackUrl === "string" ? params.callbackUrl : undefined;
  const callbackUrl = raw ? safeCallbackUrl(raw, requestHost(await headers())) : undefined;
  const session = await getCurrentSession();
  if (session?.twoFactorSetupRequired) redirect(TWO_FACTOR_SETUP_PATH);
  if (session) redirect(callbackUrl ?? "/");
  const notice = Object.keys(NOTICES).find((k) => params[k] === "1");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">Manage your VPN devices, usage and support tickets.</p>
      {notice ? (
        <Alert tone="success" className="mb-4">
          {NOTICES[notice]}
        </Alert>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} signUpOpen={getEnv().SIGNUP_MODE !== "closed"} />
    </>
  );
}
