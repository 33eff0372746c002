"use client";

import { useActionState } from "react";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { disableTwoFactorAction } from "../account-actions";

/** Turning two-factor off takes the password and a code (or a recovery code): a session left open is not enough. */
export function DisableTwoFactorForm() {
  const [state, action] = useActionState(disableTwoFactorAction, null);
  return (
    <form action={action} className="space-y-4" noValidate data-testid="disable-two-factor-form">
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField label="Password" name="password" type="password" autoComplete="current-password" required error={fieldError(state, "password")} />
        <InputField
          label="Code or recovery code"
          name="code"
          autoComplete="one-time-code"
          required
          maxLength={40}
          error={fieldError(state, "code")}
        />
      </div>
      <SubmitButton variant="danger" pendingLabel="Turning off…">
        Turn off two-factor
      </SubmitButton>
    </form>
  );
}
