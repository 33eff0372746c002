"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SelectField, TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { changeUserStatusAction } from "../actions";
import { STATUS_LABELS } from "./labels";

function StatusForm({ userId, status }: { userId: string; status: string }) {
  const [state, action] = useActionState(changeUserStatusAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={userId} />
      <FormError state={state} />
      {/* Keyed so it remounts with the submitted choice: React's form reset restores a select to its mount-time default. */}
      <SelectField
        key={valueOf(state, "status") ?? status}
        label="Status"
        name="status"
        defaultValue={valueOf(state, "status") ?? status}
        error={fieldError(state, "status")}
      >
        {Object.entries(STATUS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextareaField
        label="Reason"
        name="reason"
        rows={3}
        maxLength={500}
        hint="Required to suspend or ban. Recorded in the audit log."
        defaultValue={valueOf(state, "reason")}
        error={fieldError(state, "reason")}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Saving…">Save status</SubmitButton>
      </div>
    </form>
  );
}

export function ChangeStatusDialog({ userId, email, status }: { userId: string; email: string; status: string }) {
  return (
    <Dialog
      title="Change account status"
      description={
        <>
          {email}
          <br />
          Suspended accounts keep signing in but their devices stop connecting; banned accounts cannot sign in.
        </>
      }
      triggerLabel="Status"
      triggerAriaLabel={`Change status of ${email}`}
    >
      <StatusForm userId={userId} status={status} />
    </Dialog>
  );
}
