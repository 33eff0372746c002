"use client";

import { useActionState } from "react";
import type { PlanRequestDto } from "@/lib/dal/plans";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { cancelPlanChangeAction } from "../actions";

function CancelRequest() {
  const [state, action] = useActionState(cancelPlanChangeAction, null);
  return (
    <form action={action} className="mt-3 space-y-2">
      <FormError state={state} />
      <SubmitButton variant="secondary" size="sm" pendingLabel="Cancelling…">
        Cancel request
      </SubmitButton>
    </form>
  );
}

/** The pending request (with "Cancel request"), else the outcome of the latest one. */
export function RequestStatus({ pending, latest }: { pending: PlanRequestDto | null; latest: PlanRequestDto | null }) {
  if (pending) {
    return (
      <Alert tone="info" title="Plan change requested" testId="plan-request-pending">
        <p>
          You asked to move from {pending.fromPlanName ?? "your plan"} to <strong>{pending.toPlanName}</strong> on <DateTime value={pending.createdAt} />. An
          administrator will confirm it; your plan changes as soon as they do.
        </p>
        <CancelRequest />
      </Alert>
    );
  }
  if (!latest || latest.status === "pending" || latest.status === "cancelled") return null;
  const approved = latest.status === "approved";
  return (
    <Alert tone={approved ? "success" : "warning"} title={approved ? `Moved to ${latest.toPlanName}` : `Your request for ${latest.toPlanName} was declined`} testId="plan-request-decided">
      <p>
        Decided on <DateTime value={latest.decidedAt} />.{latest.note ? ` Note from the administrator: “${latest.note}”` : ""}
      </p>
    </Alert>
  );
}
