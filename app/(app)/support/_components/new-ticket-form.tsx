"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { InputField, SelectField, TextareaField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { CATEGORY_LABELS, PRIORITY_LABELS, entries } from "@/lib/support/labels";
import { postForm, type ApiResult } from "@/components/support/api-form";
import { ACCEPT } from "@/components/support/message-form";

const PRIORITY_HINTS = { low: "first answer within 2 days", medium: "within a day", high: "within 4 hours", urgent: "within an hour" } as const;

/** Opens a ticket (with files) through the API, then shows it. */
export function NewTicketForm() {
  const router = useRouter();
  const [state, setState] = useState<ApiResult<{ id: string }> | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(async () => {
      const result = await postForm<{ id: string }>("/api/support/tickets", form);
      setState(result);
      if (result.ok) router.push(`/support/${encodeURIComponent(result.data.id)}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-testid="new-ticket-form">
      <InputField label="Subject" name="subject" required maxLength={200} placeholder="e.g. My laptop disconnects every few minutes" error={fieldError(state, "subject")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Category" name="category" defaultValue="technical" error={fieldError(state, "category")}>
          {entries(CATEGORY_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <SelectField label="Priority" name="priority" defaultValue="medium" error={fieldError(state, "priority")}>
          {entries(PRIORITY_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l} — {PRIORITY_HINTS[v]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextareaField
        label="Description"
        name="description"
        rows={7}
        required
        maxLength={10_000}
        hint="What happened, on which device, since when. For connection problems we attach your devices' current status automatically."
        error={fieldError(state, "description")}
      />
      <InputField label="Attach files" name="files" type="file" multiple accept={ACCEPT} hint="Screenshots, PDFs or .txt/.log files, up to 10 MB each." error={fieldError(state, "files")} className="text-sm" />
      <FormError state={state} />
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-disabled={pending}>
          {pending ? <Spinner label="Sending" /> : null}
          Open ticket
        </Button>
      </div>
    </form>
  );
}
