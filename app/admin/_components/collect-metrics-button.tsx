"use client";

import { useActionState } from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/forms/submit-button";
import { collectMetricsNowAction } from "./actions";

/** Runs the rollup and metrics jobs now; once started, offers to reload the dashboard. */
export function CollectMetricsButton() {
  const [state, action] = useActionState(collectMetricsNowAction, null);
  const router = useRouter();
  return (
    <form action={action} className="mt-3 flex flex-wrap items-center gap-3">
      <SubmitButton size="sm" pendingLabel="Starting…">
        Collect metrics now
      </SubmitButton>
      {state?.ok ? (
        <Button size="sm" variant="secondary" onClick={() => router.refresh()}>
          Refresh dashboard
        </Button>
      ) : null}
      <Link href="/admin/jobs" className="text-sm font-medium underline underline-offset-2">
        See job runs
      </Link>
      <p aria-live="polite" className="w-full text-sm" data-testid="collect-metrics-status">
        {state?.ok ? "Started the rollup and metrics jobs. The figures appear here when they finish, usually within a few seconds." : null}
        {state && !state.ok ? <span className="text-red-700 dark:text-red-400">{state.formError ?? "Could not start the jobs."}</span> : null}
      </p>
    </form>
  );
}
