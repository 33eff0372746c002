"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/spinner";
import { useHydrated } from "@/components/ui/use-hydrated";
import { STATUS_LABELS, entries } from "@/lib/support/labels";
import { splitTags } from "@/lib/support/tags";
import type { TicketStatus } from "@/lib/validation/support";
import type { PersonDto } from "@/lib/services/support";
import { bulkUpdateTicketsAction } from "../actions";

const NO_CHANGE = "";
const UNASSIGN = "__none__";

/**
 * One change for every selected ticket: an assignee, a status and/or tags to
 * add. Fields left at "No change" change nothing; the answer says how many
 * tickets actually changed (those already in that state are not counted).
 */
/** `onDone` gets the outcome to announce: the bar itself goes away with the selection. */
export function BulkActions({ ids, staff, knownTags, onDone }: { ids: string[]; staff: PersonDto[]; knownTags: string[]; onDone: (outcome: string) => void }) {
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const assignee = String(form.get("assigneeId") ?? NO_CHANGE);
    const status = String(form.get("status") ?? NO_CHANGE);
    const addTags = splitTags(String(form.get("addTags") ?? ""));
    if (assignee === NO_CHANGE && status === NO_CHANGE && addTags.length === 0) {
      setError("Choose an assignee, a status or tags to add.");
      return;
    }
    setError(null);
    startTransition(async () => {
      const result = await bulkUpdateTicketsAction({
        ids,
        ...(assignee !== NO_CHANGE ? { assigneeId: assignee === UNASSIGN ? null : assignee } : {}),
        ...(status !== NO_CHANGE ? { status: status as TicketStatus } : {}),
        ...(addTags.length ? { addTags } : {}),
      });
      if (result.ok) {
        const n = result.data.updated;
        onDone(n === 1 ? "Updated 1 ticket." : `Updated ${n} tickets.`);
      } else {
        const field = Object.values(result.fieldErrors ?? {}).flat()[0];
        setError(field ?? result.formError ?? "The tickets could not be updated.");
      }
    });
  }

  const disabled = !hydrated || pending || ids.length === 0;
  return (
    <div className="space-y-3" data-testid="bulk-actions">
      <form onSubmit={submit} noValidate aria-label="Change the selected tickets" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(3,minmax(0,1fr))_auto] lg:items-end">
        <SelectField label="Assign to" name="assigneeId" defaultValue={NO_CHANGE}>
          <option value={NO_CHANGE}>No change</option>
          <option value={UNASSIGN}>Unassigned</option>
          {staff.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name ?? p.email}
            </option>
          ))}
        </SelectField>
        <SelectField label="Set status" name="status" defaultValue={NO_CHANGE}>
          <option value={NO_CHANGE}>No change</option>
          {entries(STATUS_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <InputField label="Add tags" name="addTags" placeholder="billing, refund" autoComplete="off" list={knownTags.length ? "bulk-tag-suggestions" : undefined} />
        {knownTags.length ? (
          <datalist id="bulk-tag-suggestions">
            {knownTags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        ) : null}
        <Button type="submit" disabled={disabled} aria-disabled={disabled}>
          {pending ? <Spinner label="Applying" /> : null}
          {ids.length === 1 ? "Apply to 1 ticket" : `Apply to ${ids.length} tickets`}
        </Button>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
