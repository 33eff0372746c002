"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { runAbuseScanAction } from "../actions";

export function RunScanButton() {
  const [state, action] = useActionState(runAbuseScanAction, null);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <SubmitButton variant="secondary" pendingLabel="Starting…">
        Run scan now
      </SubmitButton>
      <p aria-live="polite" className="text-xs">
        {state && !state.ok ? <span className="text-red-700 dark:text-red-400">{state.formError}</span> : null}
        {state?.ok ? (
          <span className="text-slate-600 dark:text-slate-400">
            Scan started — follow it on{" "}
            <Link href="/admin/jobs" className="text-sky-700 underline dark:text-sky-400">
              Jobs
            </Link>
            , then reload this page.
          </span>
        ) : null}
      </p>
    </form>
  );
}
