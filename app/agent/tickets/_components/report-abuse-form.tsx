"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SelectField, TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { INCIDENT_TYPES, SEVERITIES } from "@/lib/abuse/types";
import { DESCRIPTION_MAX } from "@/lib/validation/abuse-mitigation";
import { reportAbuseAction } from "./report-abuse-actions";

const TYPE_LABELS: Record<(typeof INCIDENT_TYPES)[number], string> = {
  excessive_bandwidth: "Excessive bandwidth",
  rapid_reconnects: "Rapid reconnects",
  concurrent_connections: "Concurrent connections",
  suspicious_traffic_pattern: "Suspicious traffic pattern",
  account_sharing: "Account sharing",
};

function ReportForm({ ticketId, userId, subject }: { ticketId: string; userId: string; subject: string }) {
  const [state, action] = useActionState(reportAbuseAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4" data-testid="report-abuse-form">
      <input type="hidden" name="ticketId" value={ticketId} />
      <input type="hidden" name="userId" value={userId} />
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Type" name="type" required defaultValue={valueOf(state, "type") ?? "account_sharing"} error={fieldError(state, "type")}>
          {INCIDENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Severity" name="severity" required defaultValue={valueOf(state, "severity") ?? "medium"} error={fieldError(state, "severity")}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </SelectField>
      </div>
      <TextareaField
        label="What was reported"
        name="description"
        rows={4}
        maxLength={DESCRIPTION_MAX}
        required
        hint="In a sentence or two, for the admins who review it. The ticket is linked to the incident."
        defaultValue={valueOf(state, "description") ?? subject}
        error={fieldError(state, "description")}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Reporting…">Report abuse</SubmitButton>
      </div>
    </form>
  );
}

/** "Report abuse" behind a dialog: the ticket becomes a user-reported incident in the admins' abuse queue. */
export function ReportAbuseDialog({ ticketId, userId, email, subject }: { ticketId: string; userId: string; email: string; subject: string }) {
  return (
    <Dialog title="Report abuse" description={`Against ${email}, linked to this ticket.`} triggerLabel="Report abuse" triggerVariant="danger">
      <ReportForm ticketId={ticketId} userId={userId} subject={subject} />
    </Dialog>
  );
}
