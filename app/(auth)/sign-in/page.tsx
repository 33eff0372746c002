import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { Alert } from "@/components/ui/alert";
import { requestHost, safeCallbackUrl } from "../callback-url";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = typeof params.callbackUrl === "string" ? params.callbackUrl : undefined;
  const callbackUrl = raw ? safeCallbackUrl(raw, requestHost(await headers())) : undefined;
  if (await getCurrentUser()) redirect(callbackUrl ?? "/devices");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">Manage your VPN devices, usage and support tickets.</p>
      {params.created === "1" ? (
        <Alert tone="success" className="mb-4">
          Your account was created. Sign in to continue.
        </Alert>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
    </>
  );
}
