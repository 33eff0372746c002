import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./_components/forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Forgot your password?</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">Enter your account&apos;s email address and we will send you a link to choose a new one.</p>
      <ForgotPasswordForm />
      <p className="mt-4 text-center text-sm">
        <Link href="/sign-in" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
