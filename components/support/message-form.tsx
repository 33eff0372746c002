"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { InputField, TextareaField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/components/ui/cn";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { postForm, type ApiResult } from "./api-form";

export const ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.txt,.log";

/**
 * Reply (and, for staff, internal note) with files. Posts multipart to the
 * messages API, then refreshes the page's server components. The internal
 * note mode turns the whole form yellow so it cannot be mistaken for a reply.
 */
export function MessageForm({ ticketId, staff = false }: { ticketId: string; staff?: boolean }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [internal, setInternal] = useState(false);
  const [state, setState] = useState<ApiResult<unknown> | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    form.set("isInternal", internal ? "true" : "false");
    startTransition(async () => {
      const result = await postForm(`/api/support/tickets/${encodeURIComponent(ticketId)}/messages`, form);
      setState(result);
      if (result.ok) {
        formRef.current?.reset();
        setInternal(false);
        router.refresh();
      }
    });
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      data-testid="message-form"
      className={cn("space-y-3 rounded-lg border p-4", internal ? "border-amber-300 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/40" : "border-slate-200 dark:border-slate-800")}
    >
      {staff ? (
        <fieldset className="flex flex-wrap gap-2" aria-label="Message type">
          <label className={cn("inline-flex cursor-pointer items-center gap-2 rounded-md border px-3 py-1.5 text-sm", !internal ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-slate-300 dark:border-slate-700")}>
            <input type="radio" name="mode" value="reply" checked={!internal} onChange={() => setInternal(false)} />
            Reply to customer
          </label>
          <label className={cn("inline-flex cursor-pointer items-center gap-2 rounded-md border px-3 py-1.5 text-sm", internal ? "border-amber-500 bg-amber-100 dark:bg-amber-900" : "border-slate-300 dark:border-slate-700")}>
            <input type="radio" name="mode" value="internal" checked={internal} onChange={() => setInternal(true)} />
            Internal note
          </label>
        </fieldset>
      ) : null}
      {internal ? <p className="text-sm font-medium text-amber-900 dark:text-amber-200">Internal note: only support staff will see this. The customer is not notified.</p> : null}
      <TextareaField label={internal ? "Internal note" : "Message"} name="message" rows={5} maxLength={10_000} required error={fieldError(state, "message")} />
      <InputField label="Attach files" name="files" type="file" multiple accept={ACCEPT} hint="Screenshots, PDFs or .txt/.log files, up to 10 MB each." error={fieldError(state, "files")} className="text-sm" />
      <FormError state={state} />
      <div className="flex justify-end">
        <Button type="submit" variant={internal ? "secondary" : "primary"} disabled={pending} aria-disabled={pending}>
          {pending ? <Spinner label="Sending" /> : null}
          {internal ? "Add internal note" : "Send reply"}
        </Button>
      </div>
    </form>
  );
}
