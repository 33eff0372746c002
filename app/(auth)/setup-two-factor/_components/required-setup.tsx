"use client";

import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { TwoFactorSetup } from "@/components/account/two-factor-setup";
import { SubmitButton } from "@/components/forms/submit-button";
import { signOutAction } from "@/components/nav/actions";

/**
 * The enrolment a staff member cannot skip: set up two-factor, or sign out.
 * When done, on to the home page, which sends each role where it works
 * and now finds the account enrolled.
 */
export function RequiredSetup() {
  const [, signOut] = useActionState(signOutAction, null);
  const router = useRouter();
  return (
    <div className="space-y-6">
      <TwoFactorSetup onDone={() => router.replace("/")} doneLabel="I saved them, continue" />
      <form action={signOut} className="border-t border-slate-200 pt-4 dark:border-slate-800">
        <SubmitButton variant="ghost" size="sm" pendingLabel="Signing out…">
          Sign out
        </SubmitButton>
      </form>
    </div>
  );
}
