import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/devices");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create an account</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">Start protecting your devices with WireGuard.</p>
      <SignUpForm />
    </>
  );
}
