"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { isValidTag, MAX_TAGS, normalizeTag } from "@/lib/support/tags";
import { setTicketTagsAction } from "../actions";

/**
 * The ticket's tags: each with its own remove button, and a field to add one.
 * Every change saves the whole list at once (PATCH semantics), and what the
 * server kept is what is shown afterwards; a list refreshed from the server
 * replaces it without losing a tag being typed.
 */
export function TagEditor({ ticketId, tags: saved, suggestions = [] }: { ticketId: string; tags: string[]; suggestions?: string[] }) {
  const hydrated = useHydrated();
  const [tags, setTags] = useState(saved);
  // A newer list from the server (this change refreshed, or someone else's): show it, keeping what is being typed.
  const [shown, setShown] = useState(saved);
  if (shown.join("|") !== saved.join("|")) {
    setShown(saved);
    setTags(saved);
  }
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  /** `typed`: the text the tag came from, put back if the save fails (and nothing new was typed). */
  function save(next: string[], done: string, typed = "") {
    setError(null);
    setStatus(null);
    startTransition(async () => {
      const result = await setTicketTagsAction({ id: ticketId, tags: next });
      if (result.ok) {
        setTags(result.data.tags);
        setStatus(done);
      } else {
        setDraft((d) => d || typed);
        setError(result.fieldErrors?.tags?.[0] ?? result.formError ?? "The tags could not be saved.");
      }
    });
  }

  function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const tag = normalizeTag(draft);
    if (!tag) return setError("Type a tag first.");
    if (!isValidTag(tag)) return setError('A tag is 1 to 32 characters: a-z, 0-9, "-", "_" and spaces.');
    if (tags.includes(tag)) return setError(`The ticket is already tagged ${tag}.`);
    if (tags.length >= MAX_TAGS) return setError(`A ticket has at most ${MAX_TAGS} tags.`);
    setDraft("");
    save([...tags, tag], `Added ${tag}.`, draft);
  }

  const listId = `tag-suggestions-${ticketId}`;
  return (
    <div className="space-y-3" data-testid="tag-editor">
      {tags.length ? (
        <ul aria-label="Tags" className="flex flex-wrap gap-2">
          {tags.map((tag) => (
            <li key={tag} data-testid="ticket-tag" className="inline-flex max-w-full items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2.5 text-sm text-slate-800 ring-1 ring-slate-300 ring-inset dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700">
              <span className="truncate">{tag}</span>
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                disabled={pending || !hydrated}
                onClick={() => save(tags.filter((t) => t !== tag), `Removed ${tag}.`)}
                className="rounded-full p-0.5 text-slate-600 hover:bg-slate-200 hover:text-slate-900 disabled:opacity-60 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-slate-100"
              >
                <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round">
                  <path d="M6 6l8 8M14 6l-8 8" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">No tags yet.</p>
      )}
      <form onSubmit={add} noValidate className="flex items-end gap-2">
        <InputField
          label="Add a tag"
          name="tag"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={64}
          autoComplete="off"
          list={suggestions.length ? listId : undefined}
          fieldClassName="min-w-0 flex-1"
        />
        <Button type="submit" variant="secondary" disabled={pending || !hydrated}>
          Add
        </Button>
        {suggestions.length ? (
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        ) : null}
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <p role="status" className="sr-only">
        {status ?? ""}
      </p>
    </div>
  );
}
