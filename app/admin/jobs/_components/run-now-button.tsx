"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { triggerJobAction } from "../actions";
import { LiveRun } from "./live-run";

/** "Run now", then the run it started, followed live below the button until it ends. */
export function RunNowButton({ job }: { job: string }) {
  const [state, action] = useActionState(triggerJobAction, null);
  return (
    <form action={action} className="flex flex-col items-start gap-1" data-testid="run-now" data-job={job}>
      <input type="hidden" name="id" value={job} />
      <SubmitButton size="sm" variant="secondary" pendingLabel="Starting…" aria-label={`Run ${job} now`}>
        Run now
      </SubmitButton>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.formError}
        </p>
      ) : null}
      {state?.ok ? <LiveRun key={state.data.runId} runId={state.data.runId} job={job} /> : null}
    </form>
  );
}
