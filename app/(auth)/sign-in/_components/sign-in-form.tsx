"use client";

import Link from "next/link";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { InputField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { signInAction } from "../actions";

const linkClass = "font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400";

/**
 * Email and password, then (for an account with two-factor) a code. The
 * email and password stay in this component's memory between the two steps
 * and are sent again with the code: the server keeps no half-signed-in state.
 * Submitted by hand rather than as a form action, so React does not reset the
 * fields after the first step.
 */
export function SignInForm({ callbackUrl, signUpOpen = true }: { callbackUrl?: string; signUpOpen?: boolean }) {
  const [state, dispatch, pending] = useActionState(signInAction, null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [codeStep, setCodeStep] = useState(false);
  const [seen, setSeen] = useState(state);
  if (state !== seen) {
    setSeen(state);
    if (state?.ok && state.data.needsCode) setCodeStep(true);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(() => dispatch(form));
  }

  function otherAccount() {
    setCodeStep(false);
    setPassword("");
    setCode("");
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="sign-in-form">
      {codeStep && state?.ok ? null : <FormError state={state} />}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      {codeStep ? (
        <>
          <input type="hidden" name="email" value={email} />
          <input type="hidden" name="password" value={password} />
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Two-factor sign-in is on for <span className="break-all font-medium">{email}</span>.
          </p>
          <InputField
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            autoFocus
            required
            maxLength={40}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            hint="The 6-digit code your authenticator app shows, or one of your recovery codes."
            error={fieldError(state, "code")}
          />
        </>
      ) : (
        <>
          <InputField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(state, "email")}
          />
          <InputField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(state, "password")}
          />
          <p className="-mt-2 text-right text-sm">
            <Link href="/forgot-password" className={linkClass}>
              Forgot password?
            </Link>
          </p>
        </>
      )}
      <Button type="submit" className="w-full" disabled={pending} aria-disabled={pending}>
        {pending ? <Spinner label="Signing in" /> : null}
        {pending ? "Signing in…" : codeStep ? "Verify and sign in" : "Sign in"}
      </Button>
      {codeStep ? (
        <p className="text-center text-sm">
          <button type="button" onClick={otherAccount} className={linkClass}>
            Use a different account
          </button>
        </p>
      ) : signUpOpen ? (
        <p className="text-center text-sm text-slate-600 dark:text-slate-400">
          New to SecureWave?{" "}
          <Link href="/sign-up" className={linkClass}>
            Create an account
          </Link>
        </p>
      ) : null}
    </form>
  );
}
