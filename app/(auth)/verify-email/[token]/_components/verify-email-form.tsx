"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { verifyEmailAction } from "../actions";

/** One button: opening the link changes nothing (mail scanners open links too); pressing it confirms the address. */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, action] = useActionState(verifyEmailAction, null);
  const tokenError = fieldError(state, "token");
  return (
    <form action={action} className="space-y-4" data-testid="verify-email-form">
      <FormError state={state} />
      {tokenError ? <Alert tone="error">{tokenError.join(" ")}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingLabel="Confirming…">
        Confirm my email address
      </SubmitButton>
    </form>
  );
}
