"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { deleteAccountAction } from "./delete-account-action";

/** The confirmation: the password, and a code when two-factor is on. On success the browser lands on the sign-in page. */
function DeleteAccountForm({ twoFactor, onCancel }: { twoFactor: boolean; onCancel: () => void }) {
  const [state, action] = useActionState(deleteAccountAction, null);
  return (
    <form action={action} className="space-y-4" noValidate data-testid="delete-account-form">
      <Alert tone="warning" title="This cannot be undone">
        Your devices stop connecting, and you cannot sign in with this account again. To use SecureWave later, sign up anew.
      </Alert>
      <FormError state={state} />
      <InputField label="Your password" name="password" type="password" autoComplete="current-password" required error={fieldError(state, "password")} />
      {twoFactor ? (
        <InputField
          label="Two-factor code or recovery code"
          name="code"
          autoComplete="one-time-code"
          required
          maxLength={40}
          hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
          error={fieldError(state, "code")}
        />
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} data-autofocus>
          Keep my account
        </Button>
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}

export function DeleteAccountDialog({ twoFactor }: { twoFactor: boolean }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="danger" aria-haspopup="dialog" disabled={!hydrated} onClick={() => setOpen(true)}>
        Delete account…
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title="Delete your account?"
        description={twoFactor ? "Confirm with your password and a two-factor code." : "Confirm with your password."}
      >
        <DeleteAccountForm twoFactor={twoFactor} onCancel={() => setOpen(false)} />
      </Modal>
    </>
  );
}
