"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { Alert } from "@/components/ui/alert";
import type { MacroDto } from "@/lib/support/macros";
import { createMacroAction, deleteMacroAction, updateMacroAction } from "../actions";
import { MacroFields } from "./macro-fields";

/** Admins: a new macro. The form clears itself after a save (keyed on the saved id). */
export function CreateMacroForm() {
  const [state, action] = useActionState(createMacroAction, null);
  const savedId = state?.ok ? state.data.id : "";
  return (
    <form action={action} key={savedId} noValidate className="space-y-4" data-testid="create-macro">
      <FormError state={state} />
      <MacroFields state={state} />
      {state?.ok ? <Alert tone="success">Macro saved.</Alert> : null}
      <div className="flex justify-end">
        <SubmitButton pendingLabel="Saving…">Add macro</SubmitButton>
      </div>
    </form>
  );
}

function EditMacroForm({ macro }: { macro: MacroDto }) {
  const [state, action] = useActionState(updateMacroAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} noValidate className="space-y-4">
      <input type="hidden" name="id" value={macro.id} />
      <FormError state={state} />
      <MacroFields state={state} defaults={macro} />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
      </div>
    </form>
  );
}

export function EditMacroDialog({ macro }: { macro: MacroDto }) {
  return (
    <Dialog title="Edit macro" description={macro.name} triggerLabel="Edit" triggerAriaLabel={`Edit macro ${macro.name}`} size="lg">
      <EditMacroForm macro={macro} />
    </Dialog>
  );
}

function DeleteMacroForm({ macro }: { macro: MacroDto }) {
  const [state, action] = useActionState(deleteMacroAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={macro.id} />
      <FormError state={state} />
      <p className="text-sm">
        Delete <strong className="font-semibold">{macro.name}</strong>? Replies already written from it stay as they are.
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete macro
        </SubmitButton>
      </div>
    </form>
  );
}

export function DeleteMacroDialog({ macro }: { macro: MacroDto }) {
  return (
    <Dialog title="Delete macro" description={macro.name} triggerLabel="Delete" triggerVariant="danger" triggerAriaLabel={`Delete macro ${macro.name}`}>
      <DeleteMacroForm macro={macro} />
    </Dialog>
  );
}
