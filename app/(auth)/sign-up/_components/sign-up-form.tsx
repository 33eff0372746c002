"use client";

import Link from "next/link";
import { useActionState } from "react";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { signUpAction } from "../actions";

export function SignUpForm() {
  const [state, action] = useActionState(signUpAction, null);
  return (
    <form action={action} className="space-y-4" noValidate data-testid="sign-up-form">
      <FormError state={state} />
      <InputField
        label="Name"
        name="name"
        autoComplete="name"
        required
        maxLength={100}
        defaultValue={valueOf(state, "name")}
        error={fieldError(state, "name")}
      />
      <InputField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={valueOf(state, "email")}
        error={fieldError(state, "email")}
      />
      <InputField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        error={fieldError(state, "password")}
      />
      <SubmitButton className="w-full" pendingLabel="Creating account…">
        Create account
      </SubmitButton>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Sign in
        </Link>
      </p>
    </form>
  );
}
