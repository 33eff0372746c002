"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { changeUserRoleAction } from "../actions";
import { ROLE_LABELS } from "./labels";

function RoleForm({ userId, role }: { userId: string; role: string }) {
  const [state, action] = useActionState(changeUserRoleAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={userId} />
      <FormError state={state} />
      <SelectField label="Role" name="role" defaultValue={role} error={fieldError(state, "role")}>
        {Object.entries(ROLE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Saving…">Save role</SubmitButton>
      </div>
    </form>
  );
}

export function ChangeRoleDialog({ userId, email, role }: { userId: string; email: string; role: string }) {
  return (
    <Dialog title="Change role" description={email} triggerLabel="Role" triggerAriaLabel={`Change role of ${email}`}>
      <RoleForm userId={userId} role={role} />
    </Dialog>
  );
}
