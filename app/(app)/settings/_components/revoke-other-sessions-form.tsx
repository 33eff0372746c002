"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { revokeOtherSessionsAction } from "../actions";

/** "Sign out everywhere else": keeps this browser signed in. */
export function RevokeOtherSessionsForm({ others }: { others: number }) {
  const [state, action] = useActionState(revokeOtherSessionsAction, null);
  const ended = state?.ok ? state.data.ended : null;
  return (
    <form action={action} className="flex flex-col items-start gap-1 sm:items-end">
      {others > 0 ? (
        <SubmitButton variant="danger" size="sm" pendingLabel="Signing out…">
          Sign out everywhere else
        </SubmitButton>
      ) : null}
      <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
        {ended === null ? "" : ended === 1 ? "1 other session was signed out." : `${ended} other sessions were signed out.`}
      </p>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.formError ?? "The other sessions could not be signed out."}
        </p>
      ) : null}
    </form>
  );
}
