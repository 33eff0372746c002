"use client";

import { useActionState } from "react";
import { SelectField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { PRIORITY_LABELS, STATUS_LABELS, entries } from "@/lib/support/labels";
import type { TicketPriority, TicketStatus } from "@/lib/validation/support";
import { assignToMeAction, updateTicketAction } from "../actions";

interface Person {
  id: string;
  email: string;
  name: string | null;
}

export function AssignToMe({ ticketId }: { ticketId: string }) {
  const [state, action] = useActionState(assignToMeAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={ticketId} />
      <SubmitButton variant="secondary" size="sm" pendingLabel="Assigning…">
        Assign to me
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}

/** Status, priority (recomputes the SLA deadlines) and assignee. */
export function TicketControls({
  ticketId,
  status,
  priority,
  assignedToId,
  staff,
}: {
  ticketId: string;
  status: TicketStatus;
  priority: TicketPriority;
  assignedToId: string | null;
  staff: Person[];
}) {
  const [state, action] = useActionState(updateTicketAction, null);
  // Keyed on the saved values so the selects show what the server has after a refresh.
  const key = `${status}|${priority}|${assignedToId ?? ""}`;
  return (
    <form action={action} className="space-y-3" key={key} data-testid="ticket-controls">
      <input type="hidden" name="id" value={ticketId} />
      <SelectField label="Status" name="status" defaultValue={valueOf(state, "status") ?? status} error={fieldError(state, "status")}>
        {entries(STATUS_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <SelectField label="Priority" name="priority" defaultValue={valueOf(state, "priority") ?? priority} error={fieldError(state, "priority")} hint="Changing it recomputes the SLA deadlines.">
        {entries(PRIORITY_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <SelectField label="Assignee" name="assignedToId" defaultValue={valueOf(state, "assignedToId") ?? assignedToId ?? ""} error={fieldError(state, "assignedToId")}>
        <option value="">Unassigned</option>
        {staff.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name ? `${p.name} (${p.email})` : p.email}
          </option>
        ))}
      </SelectField>
      <FormError state={state} />
      {state?.ok ? <Alert tone="success">Saved.</Alert> : null}
      <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
    </form>
  );
}
