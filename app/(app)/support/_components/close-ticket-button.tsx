"use client";

import { useActionState } from "react";
import { Dialog, DialogCancel } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import type { ActionResult, ActionState } from "@/lib/actions/result";

type CloseAction = (prev: ActionState, form: FormData) => Promise<ActionResult>;

function CloseForm({ ticketId, action }: { ticketId: string; action: CloseAction }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="id" value={ticketId} />
      <FormError state={state} />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Closing…">
          Close ticket
        </SubmitButton>
      </div>
    </form>
  );
}

/** Closing is final (a closed ticket takes no more replies), so it asks first. */
export function CloseTicketButton({ ticketId, action }: { ticketId: string; action: CloseAction }) {
  return (
    <Dialog title="Close this ticket?" description="Close it if your problem is solved. A closed ticket cannot take more replies; you can open a new one any time." triggerLabel="Close ticket">
      <CloseForm ticketId={ticketId} action={action} />
    </Dialog>
  );
}
