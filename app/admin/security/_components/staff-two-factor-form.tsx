"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { setStaffTwoFactorAction } from "../actions";

/** The switch: one button that turns the requirement on or off, saying what happens next. */
export function StaffTwoFactorForm({ required }: { required: boolean }) {
  const [state, action] = useActionState(setStaffTwoFactorAction, null);
  return (
    <form action={action} className="space-y-3" data-testid="staff-two-factor-form">
      <FormError state={state} />
      {state?.ok ? (
        <Alert tone="success">
          {state.data.requireStaffTwoFactor
            ? "Two-factor sign-in is now required for staff. Staff without it are sent to set it up on their next page."
            : "Two-factor sign-in is no longer required for staff."}
        </Alert>
      ) : null}
      <input type="hidden" name="required" value={required ? "false" : "true"} />
      <SubmitButton variant={required ? "secondary" : "primary"} pendingLabel="Saving…">
        {required ? "Stop requiring two-factor for staff" : "Require two-factor for staff"}
      </SubmitButton>
    </form>
  );
}
