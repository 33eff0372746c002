"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { resetTwoFactorAction } from "../two-factor-actions";

export function ResetTwoFactorForm({ userId, email }: { userId: string; email: string }) {
  const [state, action] = useActionState(resetTwoFactorAction, null);
  return (
    <form action={action} className="space-y-3" data-testid="reset-two-factor-form">
      <input type="hidden" name="id" value={userId} />
      <FormError state={state} />
      <SubmitButton variant="danger" size="sm" pendingLabel="Resetting…" aria-label={`Reset two-factor sign-in of ${email}`}>
        Reset two-factor
      </SubmitButton>
    </form>
  );
}
