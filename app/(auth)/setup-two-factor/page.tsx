import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/session";
import { RequiredSetup } from "./_components/required-setup";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };

/**
 * Where a staff member without two-factor lands while admins require it
 * (lib/auth/session.ts sends every page here; the API answers 403
 * `two_factor_required` except the enrolment routes). Nothing else opens
 * until it is done, except signing out.
 */
export default async function SetupTwoFactorPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in");
  if (!session.twoFactorSetupRequired) redirect("/");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Set up two-factor sign-in</h1>
      <p className="mb-5 text-sm text-slate-600 dark:text-slate-400">
        Your administrators require two-factor sign-in for staff accounts. Set it up with an authenticator app to continue as{" "}
        <span className="break-all font-medium">{session.actor.email}</span>.
      </p>
      <RequiredSetup />
    </>
  );
}
