"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf, type ActionResult, type ActionState } from "@/lib/actions/result";
import type { ButtonVariant } from "@/components/ui/button";
import { investigateIncidentAction, resolveIncidentAction, restoreIncidentUserAction, suspendIncidentUserAction, warnIncidentAction } from "../actions";

export type IncidentMove = "investigate" | "resolve" | "false_positive" | "suspend" | "restore" | "warn";

type Action = (prev: ActionState, form: FormData) => Promise<ActionResult>;

const MOVES: Record<
  IncidentMove,
  { action: Action; title: string; trigger: string; submit: string; variant: ButtonVariant; noteRequired: boolean; hint: string; status?: string }
> = {
  investigate: { action: investigateIncidentAction, title: "Start investigating", trigger: "Investigate", submit: "Mark investigating", variant: "secondary", noteRequired: false, hint: "Optional. Recorded in the incident's history." },
  resolve: { action: resolveIncidentAction, title: "Resolve the incident", trigger: "Resolve", submit: "Resolve", variant: "primary", noteRequired: true, hint: "What was found and done. Only telemetry after this moment can raise a new incident of this type.", status: "resolved" },
  false_positive: { action: resolveIncidentAction, title: "Mark as false positive", trigger: "False positive", submit: "Mark false positive", variant: "secondary", noteRequired: true, hint: "Why this is not abuse. Only telemetry after this moment can raise a new incident of this type.", status: "false_positive" },
  suspend: { action: suspendIncidentUserAction, title: "Suspend the user", trigger: "Suspend user", submit: "Suspend user", variant: "danger", noteRequired: true, hint: "Shown as the account's status reason. Their devices leave every server at the next config sync." },
  warn: { action: warnIncidentAction, title: "Send a warning", trigger: "Send warning", submit: "Send warning", variant: "secondary", noteRequired: false, hint: "Optional, added to the email. The email tells the user what was seen (the incident's description) and what happens if it goes on." },
  restore: { action: restoreIncidentUserAction, title: "Restore the user", trigger: "Restore user", submit: "Restore user", variant: "primary", noteRequired: false, hint: "Optional. The account becomes active and its devices return at the next config sync." },
};

function MoveForm({ incidentId, move }: { incidentId: string; move: IncidentMove }) {
  const m = MOVES[move];
  const [state, action] = useActionState(m.action, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={incidentId} />
      {m.status ? <input type="hidden" name="status" value={m.status} /> : null}
      <FormError state={state} />
      {fieldError(state, "status") ? <p className="text-sm text-red-700">{fieldError(state, "status")}</p> : null}
      <TextareaField
        label={m.noteRequired ? "Note" : "Note (optional)"}
        name="note"
        rows={3}
        maxLength={2000}
        required={m.noteRequired}
        hint={m.hint}
        defaultValue={valueOf(state, "note")}
        error={fieldError(state, "note")}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant={m.variant === "secondary" ? "primary" : m.variant} pendingLabel="Saving…">
          {m.submit}
        </SubmitButton>
      </div>
    </form>
  );
}

/** One move on an incident, behind a dialog that asks for the note. */
export function IncidentActionDialog({ incidentId, move, description }: { incidentId: string; move: IncidentMove; description?: string }) {
  const m = MOVES[move];
  return (
    <Dialog title={m.title} description={description} triggerLabel={m.trigger} triggerVariant={m.variant} triggerSize="md">
      <MoveForm incidentId={incidentId} move={move} />
    </Dialog>
  );
}
