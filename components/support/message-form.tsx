"use client";

import { useEffect, useRef, useState, useTransition, type ChangeEvent, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { InputField, SelectField, TextareaField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/components/ui/cn";
import { FormError } from "@/components/forms/form-error";
import { fieldError } from "@/lib/actions/result";
import { fillMacro, type MacroDto, type MacroVars } from "@/lib/support/macros";
import { TYPING_IDLE_MS } from "@/lib/support/presence";
import { postForm, type ApiResult } from "./api-form";
import { useLiveTicket } from "./live-ticket";

export const ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.txt,.log";

/**
 * Reply (and, for staff, internal note) with files. Posts multipart to the
 * messages API; on a live ticket page the conversation then fetches the new
 * message at once (elsewhere the page's server components are refreshed).
 * The internal note mode turns the whole form yellow so it cannot be
 * mistaken for a reply. Staff can start from a macro (its placeholders
 * filled in; the server applies its status and tags with the message), and
 * while they type a reply the other agents on the ticket see "… is replying".
 */
export function MessageForm({ ticketId, staff = false, macros = [], macroVars }: { ticketId: string; staff?: boolean; macros?: MacroDto[]; macroVars?: MacroVars }) {
  const router = useRouter();
  const live = useLiveTicket();
  const formRef = useRef<HTMLFormElement>(null);
  const [internal, setInternal] = useState(false);
  const [text, setText] = useState("");
  const [macroId, setMacroId] = useState("");
  const [lastKey, setLastKey] = useState(0);
  const [state, setState] = useState<ApiResult<unknown> | null>(null);
  const [pending, startTransition] = useTransition();
  const setTyping = live?.setTyping;

  // "Replying" while a reply (not a note) has text and had a keystroke within the last 10 s.
  useEffect(() => {
    if (!setTyping) return;
    const typing = staff && !internal && text.trim() !== "" && lastKey > 0;
    setTyping(typing);
    if (!typing) return;
    const idle = setTimeout(() => setTyping(false), TYPING_IDLE_MS);
    return () => clearTimeout(idle);
  }, [setTyping, staff, internal, text, lastKey]);

  function onText(e: ChangeEvent<HTMLTextAreaElement>) {
    setText(e.target.value);
    setLastKey(Date.now());
  }

  function onMacro(e: ChangeEvent<HTMLSelectElement>) {
    const macro = macros.find((m) => m.id === e.target.value);
    setMacroId(macro?.id ?? "");
    if (macro && macroVars) {
      setText(fillMacro(macro.body, macroVars));
      setLastKey(Date.now());
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    form.set("isInternal", internal ? "true" : "false");
    if (!macroId) form.delete("macroId");
    startTransition(async () => {
      const result = await postForm(`/api/support/tickets/${encodeURIComponent(ticketId)}/messages`, form);
      setState(result);
      if (result.ok) {
        formRef.current?.reset();
        setText("");
        setMacroId("");
        setLastKey(0);
        setInternal(false);
        if (live) live.poke();
        else router.refresh();
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
      {staff && macros.length > 0 ? (
        <SelectField label="Insert macro" name="macroId" value={macroId} onChange={onMacro} hint="Fills the message; its status and tags are applied when you send.">
          <option value="">No macro</option>
          {macros.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {internal ? <p className="text-sm font-medium text-amber-900 dark:text-amber-200">Internal note: only support staff will see this. The customer is not notified.</p> : null}
      <TextareaField
        label={internal ? "Internal note" : "Message"}
        name="message"
        rows={5}
        maxLength={10_000}
        required
        value={text}
        onChange={onText}
        hint="Markdown works: **bold**, _italic_, `code`, lists and links."
        error={fieldError(state, "message")}
      />
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
