"use client";

import { useActionState } from "react";
import { TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { decidePlanRequestAction } from "../actions";

/** Approve or reject one pending request, with an optional note for the requester. */
export function DecideForm({ requestId, who, toPlanName }: { requestId: string; who: string; toPlanName: string }) {
  const [state, action] = useActionState(decidePlanRequestAction, null);
  if (state?.ok) {
    return (
      <p role="status" className="text-sm font-medium text-emerald-700 dark:text-emerald-400" data-testid="plan-request-outcome">
        {state.data.status === "approved" ? `Approved: ${who} is now on ${state.data.toPlanName}.` : "Rejected."}
      </p>
    );
  }
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="id" value={requestId} />
      <FormError state={state} />
      <TextareaField label="Note for the user (optional)" name="note" rows={2} maxLength={500} defaultValue={valueOf(state, "note") ?? ""} error={fieldError(state, "note")} />
      <div className="flex flex-wrap gap-2">
        <SubmitButton name="decision" value="approve" pendingLabel="Saving…" size="sm" aria-label={`Approve ${who}'s move to ${toPlanName}`}>
          Approve
        </SubmitButton>
        <SubmitButton name="decision" value="reject" variant="secondary" size="sm" pendingLabel="Saving…" aria-label={`Reject ${who}'s move to ${toPlanName}`}>
          Reject
        </SubmitButton>
      </div>
    </form>
  );
}
