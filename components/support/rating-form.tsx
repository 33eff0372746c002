"use client";

import { useActionState, useState } from "react";
import { TextareaField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { cn } from "@/components/ui/cn";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, type ActionResult, type ActionState } from "@/lib/actions/result";

type RateAction = (prev: ActionState, form: FormData) => Promise<ActionResult>;

/** Five stars and an optional comment. Nothing is saved until the form is submitted (a link only pre-selects the score). */
export function RatingForm({ ticketId, action, initialScore }: { ticketId: string; action: RateAction; initialScore?: number }) {
  const [state, formAction] = useActionState(action, null);
  const [score, setScore] = useState<number>(initialScore ?? 0);
  if (state?.ok) {
    return (
      <Alert tone="success" testId="rating-thanks">
        Thanks for your feedback!
      </Alert>
    );
  }
  return (
    <form action={formAction} className="space-y-4" data-testid="rating-form">
      <input type="hidden" name="id" value={ticketId} />
      <fieldset>
        <legend className="text-sm font-medium">How satisfied are you with the help you received?</legend>
        <div className="mt-2 flex gap-1" role="radiogroup" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="cursor-pointer">
              <input type="radio" name="rating" value={n} checked={score === n} onChange={() => setScore(n)} className="peer sr-only" aria-label={`${n} star${n > 1 ? "s" : ""}`} />
              <span
                aria-hidden="true"
                className={cn(
                  "block text-3xl leading-none transition-colors peer-focus-visible:outline-2 peer-focus-visible:outline-sky-500",
                  n <= score ? "text-amber-500" : "text-slate-300 hover:text-amber-300 dark:text-slate-600",
                )}
              >
                ★
              </span>
            </label>
          ))}
        </div>
        {fieldError(state, "rating") ? <p className="mt-1 text-sm text-red-700 dark:text-red-400">{fieldError(state, "rating")!.join(" ")}</p> : null}
      </fieldset>
      <TextareaField label="Comments (optional)" name="feedback" rows={3} maxLength={2000} error={fieldError(state, "feedback")} />
      <FormError state={state} />
      <SubmitButton pendingLabel="Saving…">Submit rating</SubmitButton>
    </form>
  );
}

export function Stars({ value }: { value: number }) {
  return (
    <span aria-label={`${value} out of 5 stars`} className="text-lg text-amber-500">
      {"★".repeat(value)}
      <span className="text-slate-300 dark:text-slate-600">{"★".repeat(5 - value)}</span>
    </span>
  );
}
