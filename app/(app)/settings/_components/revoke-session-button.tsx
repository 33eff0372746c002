"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { revokeSessionAction } from "../actions";

/** Signs one other browser out; the list refreshes when it has ended. */
export function RevokeSessionButton({ id, label }: { id: string; label: string }) {
  const [state, action] = useActionState(revokeSessionAction, null);
  return (
    <form action={action} className="flex flex-col items-start gap-1 sm:items-end">
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="secondary" size="sm" pendingLabel="Signing out…" aria-label={`Sign out ${label}`}>
        Sign out
      </SubmitButton>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.formError ?? "This session could not be signed out."}
        </p>
      ) : null}
    </form>
  );
}
