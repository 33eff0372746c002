"use client";

import { useState, type FormEvent } from "react";
import { QRCodeSVG } from "qrcode.react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { InputField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { postJson } from "./post-json";

type Step = { kind: "start" } | { kind: "scan"; secret: string; otpauthUrl: string } | { kind: "codes"; recoveryCodes: string[] };

/** "ABCD EFGH …": a secret people can type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?!$)/g, "$1 ");

/**
 * Enrolment in two-factor sign-in, in three steps: a new secret as a QR code
 * and as text; a first code from the app to confirm it; the ten recovery
 * codes, shown this once. Talks to the JSON API (POST /api/me/2fa/setup and
 * /enable), which is what a staff member who must enrol may still reach.
 */
export function TwoFactorSetup({ onDone, doneLabel = "Done" }: { onDone: () => void; doneLabel?: string }) {
  const [step, setStep] = useState<Step>({ kind: "start" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | undefined>();

  async function start() {
    setBusy(true);
    setError(null);
    const res = await postJson<{ secret: string; otpauthUrl: string }>("/api/me/2fa/setup");
    setBusy(false);
    if (res.ok) setStep({ kind: "scan", ...res.data });
    else setError(res.formError ?? "Could not start the setup.");
  }

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get("code") ?? "");
    setBusy(true);
    setError(null);
    setCodeError(undefined);
    const res = await postJson<{ recoveryCodes: string[] }>("/api/me/2fa/enable", { code });
    setBusy(false);
    if (res.ok) setStep({ kind: "codes", recoveryCodes: res.data.recoveryCodes });
    else if (res.fieldErrors?.code) setCodeError(res.fieldErrors.code.join(" "));
    else setError(res.formError ?? "Could not turn two-factor sign-in on.");
  }

  if (step.kind === "start") {
    return (
      <div className="space-y-3">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <Button onClick={start} disabled={busy}>
          {busy ? <Spinner label="Starting" /> : null}
          Set up two-factor sign-in
        </Button>
      </div>
    );
  }

  if (step.kind === "scan") {
    return (
      <div className="space-y-4" data-testid="two-factor-enrol">
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700 dark:text-slate-300">
          <li>Open an authenticator app (Google Authenticator, 1Password, Aegis, Authy…) and scan this code.</li>
          <li>Enter the 6-digit code it shows to confirm.</li>
        </ol>
        <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
          <div className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700">
            <QRCodeSVG value={step.otpauthUrl} size={168} marginSize={1} title="QR code for your authenticator app" role="img" aria-label="QR code for your authenticator app" />
          </div>
          <div className="min-w-0 space-y-1 text-sm">
            <p className="text-slate-600 dark:text-slate-400">Can&apos;t scan it? Type this key into the app (time-based):</p>
            <div className="flex flex-wrap items-center gap-2">
              <code id="totp-secret" className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm dark:bg-slate-800" data-testid="totp-secret">
                {grouped(step.secret)}
              </code>
              <CopyButton text={step.secret} selectId="totp-secret" ariaLabel="Copy the key" />
            </div>
          </div>
        </div>
        <form onSubmit={confirm} className="flex flex-col gap-3 sm:flex-row sm:items-start" noValidate>
          <InputField
            label="Code from the app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            required
            fieldClassName="sm:w-48"
            error={codeError}
          />
          <Button type="submit" className="sm:mt-6" disabled={busy}>
            {busy ? <Spinner label="Checking" /> : null}
            Turn on two-factor
          </Button>
        </form>
        {error ? <Alert tone="error">{error}</Alert> : null}
      </div>
    );
  }

  const all = step.recoveryCodes.join("\n");
  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <Alert tone="success" title="Two-factor sign-in is on">
        Save these recovery codes somewhere safe: each one signs you in once if you lose your phone. They are shown only
        now.
      </Alert>
      <ul id="recovery-code-list" className="grid grid-cols-2 gap-2 font-mono text-sm" aria-label="Recovery codes">
        {step.recoveryCodes.map((c) => (
          <li key={c} className="rounded bg-slate-100 px-2 py-1 text-center dark:bg-slate-800" data-testid="recovery-code">
            {c}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={all} selectId="recovery-code-list" label="Copy codes" ariaLabel="Copy the recovery codes" />
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(`SecureWave recovery codes\n\n${all}\n`)}`}
          download="securewave-recovery-codes.txt"
          className="inline-flex min-h-8 items-center rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Download
        </a>
        <Button size="sm" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}
