import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { Alert } from "@/components/ui/alert";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getCurrentSession()) redirect("/");
  const mode = getEnv().SIGNUP_MODE;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create an account</h1>
      {mode === "closed" ? (
        <>
          <Alert tone="info" title="Sign-up is closed" className="mt-4" testId="sign-up-closed">
            New accounts are created by an administrator. Ask yours for an account.
          </Alert>
          <p className="mt-4 text-center text-sm">
            <Link href="/sign-in" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <>
          <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">
            Start protecting your devices with WireGuard.
            {mode === "verify" ? " We will email you a link to confirm your address." : null}
          </p>
          <SignUpForm />
        </>
      )}
    </>
  );
}
