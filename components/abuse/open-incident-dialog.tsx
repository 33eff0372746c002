"use client";

import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { InputField, SelectField, TextareaField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf, type ActionResult, type ActionState } from "@/lib/actions/result";
import { DESCRIPTION_MAX } from "@/lib/validation/abuse-mitigation";
import { SEVERITY_CHOICES, TYPE_CHOICES } from "./labels";

/** openIncidentAction (app/admin/abuse/actions.ts), passed by the page: a shared component imports no page's actions. */
export type OpenIncidentAction = (prev: ActionState<{ id: string }>, form: FormData) => Promise<ActionResult<{ id: string }>>;

function OpenIncidentForm({ action: openIncident, userId }: { action: OpenIncidentAction; userId?: string }) {
  const [state, action] = useActionState(openIncident, null);
  const { close } = useDialog();
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) {
      close();
      router.push(`/admin/abuse/${state.data.id}`);
    }
  }, [state, close, router]);
  return (
    <form action={action} className="space-y-4" data-testid="open-incident-form">
      {userId ? <input type="hidden" name="userId" value={userId} /> : null}
      <FormError state={state} />
      {userId ? null : (
        <InputField label="Account email" name="email" type="email" required autoComplete="off" defaultValue={valueOf(state, "email")} error={fieldError(state, "email")} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Type" name="type" required defaultValue={valueOf(state, "type") ?? "excessive_bandwidth"} error={fieldError(state, "type")}>
          {TYPE_CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Severity" name="severity" required defaultValue={valueOf(state, "severity") ?? "medium"} error={fieldError(state, "severity")}>
          {SEVERITY_CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextareaField
        label="What was seen"
        name="description"
        rows={4}
        maxLength={DESCRIPTION_MAX}
        required
        hint="The evidence, in a sentence or two. The user reads it if you send a warning."
        defaultValue={valueOf(state, "description")}
        error={fieldError(state, "description")}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Opening…">Open incident</SubmitButton>
      </div>
    </form>
  );
}

/** "Open incident": a manual incident, entering the same queue and lifecycle as the scan's. */
export function OpenIncidentDialog({ action, userId, email }: { action: OpenIncidentAction; userId?: string; email?: string }) {
  return (
    <Dialog title="Open an incident" description={email ?? "Against one account, by hand."} triggerLabel="Open incident" triggerSize="md">
      <OpenIncidentForm action={action} userId={userId} />
    </Dialog>
  );
}
