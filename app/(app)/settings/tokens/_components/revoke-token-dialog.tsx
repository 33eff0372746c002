"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { revokeApiTokenAction } from "../actions";

function RevokeForm({ id }: { id: string }) {
  const [state, action] = useActionState(revokeApiTokenAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={id} />
      <FormError state={state} />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Revoking…">
          Revoke token
        </SubmitButton>
      </div>
    </form>
  );
}

export function RevokeTokenDialog({ id, name }: { id: string; name: string }) {
  return (
    <Dialog
      title="Revoke this token?"
      description={`Scripts using “${name}” will stop working at once. This cannot be undone.`}
      triggerLabel="Revoke"
      triggerAriaLabel={`Revoke token ${name}`}
      triggerVariant="danger"
    >
      <RevokeForm id={id} />
    </Dialog>
  );
}
