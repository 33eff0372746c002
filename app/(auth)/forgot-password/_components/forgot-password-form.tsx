"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { requestPasswordResetAction } from "../actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordResetAction, null);
  if (state?.ok) {
    return (
      <Alert tone="success" title="Check your email" testId="reset-requested">
        If <span className="break-all font-medium">{state.data.email}</span> has a SecureWave account, we sent it a link to choose a new
        password. The link works for an hour.
      </Alert>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate data-testid="forgot-password-form">
      <FormError state={state} />
      <InputField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={valueOf(state, "email")}
        error={fieldError(state, "email")}
      />
      <SubmitButton className="w-full" pendingLabel="Sending…">
        Send reset link
      </SubmitButton>
    </form>
  );
}
