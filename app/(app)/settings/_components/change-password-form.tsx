"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { changePasswordAction } from "../account-actions";

/** Current password, new one twice. On success every other browser is signed out; the form says how many. */
export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, null);
  const ended = state?.ok ? state.data.sessionsEnded : null;
  return (
    <form action={action} className="space-y-4" noValidate data-testid="change-password-form">
      {ended !== null ? (
        <Alert tone="success" testId="password-changed">
          Your password was changed.{" "}
          {ended === 0 ? "No other browser was signed in." : ended === 1 ? "1 other session was signed out." : `${ended} other sessions were signed out.`}
        </Alert>
      ) : null}
      <FormError state={state} />
      <InputField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldError(state, "currentPassword")}
      />
      <InputField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters. Every other browser will be signed out."
        error={fieldError(state, "newPassword")}
      />
      <InputField
        label="Repeat the new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={fieldError(state, "confirmPassword")}
      />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </form>
  );
}
