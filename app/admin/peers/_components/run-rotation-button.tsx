"use client";

import { useActionState } from "react";
import Link from "next/link";
import { SubmitButton } from "@/components/forms/submit-button";
import { runRotationAction } from "../actions";

/** Starts the rotation job now, then points to the Jobs page where its run can be watched. */
export function RunRotationButton() {
  const [state, action] = useActionState(runRotationAction, null);
  return (
    <form action={action} className="flex flex-col items-start gap-1 sm:items-end">
      <SubmitButton pendingLabel="Starting…">Run rotation now</SubmitButton>
      <p aria-live="polite" className="text-sm" data-testid="rotation-run-status">
        {state && !state.ok ? <span className="text-red-700 dark:text-red-400">{state.formError}</span> : null}
        {state?.ok ? (
          <span className="text-slate-700 dark:text-slate-300">
            Rotation started.{" "}
            <Link href="/admin/jobs" className="font-medium text-sky-700 underline underline-offset-2 hover:text-sky-800 dark:text-sky-400 dark:hover:text-sky-300">
              Watch its progress in Jobs
            </Link>
          </span>
        ) : null}
      </p>
    </form>
  );
}
