"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { triggerJobAction } from "../actions";

export function RunNowButton({ job }: { job: string }) {
  const [state, action] = useActionState(triggerJobAction, null);
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <input type="hidden" name="id" value={job} />
      <SubmitButton size="sm" variant="secondary" pendingLabel="Starting…" aria-label={`Run ${job} now`}>
        Run now
      </SubmitButton>
      <p aria-live="polite" className="text-xs">
        {state && !state.ok ? <span className="text-red-700 dark:text-red-400">{state.formError}</span> : null}
        {state?.ok ? <span className="text-slate-600 dark:text-slate-400">Started.</span> : null}
      </p>
    </form>
  );
}
