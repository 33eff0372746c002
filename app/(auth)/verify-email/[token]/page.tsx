import type { Metadata } from "next";
import { VerifyEmailForm } from "./_components/verify-email-form";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Confirm your email address</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">One click and you can add your devices.</p>
      <VerifyEmailForm token={token.slice(0, 64)} />
    </>
  );
}
