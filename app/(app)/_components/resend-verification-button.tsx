"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { resendVerificationAction } from "./actions";

export function ResendVerificationButton() {
  const [state, action] = useActionState(resendVerificationAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <SubmitButton size="sm" variant="secondary" pendingLabel="Sending…">
        Send the link again
      </SubmitButton>
      <span role="status" className="text-sm">
        {state?.ok ? (state.data.sent ? "Sent. Check your inbox." : "Your address is already confirmed.") : ""}
      </span>
      {state && !state.ok ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.formError ?? "The link could not be sent."}
        </span>
      ) : null}
    </form>
  );
}
