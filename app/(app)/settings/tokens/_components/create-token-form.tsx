"use client";

import { useActionState } from "react";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { createApiTokenAction } from "../actions";
import { NewTokenBox } from "./new-token-box";

export function CreateTokenForm() {
  const [state, action] = useActionState(createApiTokenAction, null);
  return (
    <div className="space-y-4">
      {state?.ok ? <NewTokenBox token={state.data.token} name={state.data.name} /> : null}
      <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-start" noValidate>
        <InputField
          label="Token name"
          name="name"
          required
          maxLength={100}
          placeholder="e.g. backup script"
          fieldClassName="flex-1"
          defaultValue={valueOf(state, "name")}
          error={fieldError(state, "name")}
        />
        <SubmitButton className="sm:mt-6" pendingLabel="Creating…">
          Create token
        </SubmitButton>
      </form>
      <FormError state={state} />
    </div>
  );
}
