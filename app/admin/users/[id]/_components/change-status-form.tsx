"use client";

import { useActionState } from "react";
import { SelectField, TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { STATUS_LABELS } from "../../_components/labels";
import { changeAccountStatusAction } from "../actions";

/** Active, suspended or banned, with a reason (required to suspend or ban). */
export function ChangeStatusForm({ userId, status }: { userId: string; status: string }) {
  const [state, action] = useActionState(changeAccountStatusAction, null);
  const selected = valueOf(state, "status") ?? status;
  return (
    <form action={action} className="space-y-3" data-testid="change-status-form">
      <input type="hidden" name="id" value={userId} />
      <FormError state={state} />
      <SelectField key={selected} label="Status" name="status" defaultValue={selected} error={fieldError(state, "status")}>
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
        hint="Required to suspend or ban. Recorded in the audit log and shown to other admins."
        defaultValue={valueOf(state, "reason")}
        error={fieldError(state, "reason")}
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Saving…">Change status</SubmitButton>
        <p aria-live="polite" className="text-sm text-emerald-700 dark:text-emerald-400">
          {state?.ok ? `Status set to ${STATUS_LABELS[state.data.status as keyof typeof STATUS_LABELS] ?? state.data.status}.` : null}
        </p>
      </div>
    </form>
  );
}
