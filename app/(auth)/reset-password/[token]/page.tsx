import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "./_components/reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

/** The link of a password reset email. Nothing is checked or spent by opening it: the form's submission does that. */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Choose a new password</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">Setting it signs you out of every browser and app.</p>
      <ResetPasswordForm token={token.slice(0, 64)} />
      <p className="mt-4 text-center text-sm">
        <Link href="/sign-in" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
