"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { PersonDto } from "@/lib/services/support";
import type { SlaTargets } from "@/lib/support/sla";
import { CATEGORY_LABELS } from "@/lib/support/labels";
import { PriorityBadge, StatusBadge } from "@/components/support/badges";
import { Highlight } from "@/components/support/highlight";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Alert } from "@/components/ui/alert";
import { SlaCountdown } from "./sla-countdown";
import { BulkActions } from "./bulk-actions";
import type { QueueRow } from "./queue-rows";

const checkbox = "size-4 shrink-0 rounded border-slate-400 accent-sky-600 dark:border-slate-600";

/**
 * One row per ticket, most urgent deadline first; stacks into cards on
 * phones. Rows can be selected (one by one, or the whole page) for a bulk
 * change; the selection keeps only tickets still on the page after a refresh.
 */
export function QueueList({ items, targets, renderedAt, staff, knownTags }: { items: QueueRow[]; targets: SlaTargets; renderedAt: number; staff: PersonDto[]; knownTags: string[] }) {
  const hydrated = useHydrated();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const onPage = items.map((t) => t.id);
  const chosen = onPage.filter((id) => selected.has(id));
  const all = chosen.length === onPage.length && onPage.length > 0;
  const some = chosen.length > 0 && !all;
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = some;
  }, [some]);

  const toggle = (id: string, on: boolean) => {
    setNotice(null);
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  return (
    <>
      <div className="space-y-3 border-b border-slate-200 px-4 py-3 sm:px-6 dark:border-slate-800">
        <div className="flex flex-wrap items-center gap-3">
          <label className="inline-flex items-center gap-2 text-sm font-medium">
            <input ref={allRef} type="checkbox" className={checkbox} checked={all} disabled={!hydrated} onChange={(e) => {
                setNotice(null);
                setSelected(e.target.checked ? new Set(onPage) : new Set());
              }} />
            Select all on this page
          </label>
          <span className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="selection-count">
            {chosen.length === 1 ? "1 ticket selected" : `${chosen.length} tickets selected`}
          </span>
        </div>
        {chosen.length > 0 ? (
          <BulkActions
            ids={chosen}
            staff={staff}
            knownTags={knownTags}
            onDone={(outcome) => {
              setNotice(outcome);
              setSelected(new Set());
            }}
          />
        ) : null}
        {notice ? (
          <Alert tone="success" testId="bulk-result">
            {notice}
          </Alert>
        ) : null}
      </div>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Tickets">
        {items.map((t) => (
          <li key={t.id} data-testid="queue-row" data-ticket-number={t.ticketNumber} className="flex items-start gap-3 px-4 py-3 hover:bg-slate-50 sm:px-6 dark:hover:bg-slate-800/50">
            <input
              type="checkbox"
              className={`${checkbox} mt-1`}
              aria-label={`Select ${t.ticketNumber}: ${t.subject}`}
              checked={selected.has(t.id)}
              disabled={!hydrated}
              onChange={(e) => toggle(t.id, e.target.checked)}
            />
            <Link href={`/agent/tickets/${t.id}`} className="grid min-w-0 flex-1 gap-2 md:grid-cols-[1fr_auto] md:items-center">
              <span className="min-w-0">
                <span className="block truncate font-medium">{t.subject}</span>
                {t.highlight ? <Highlight html={t.highlight} className="mt-0.5 block text-sm text-slate-700 dark:text-slate-300" /> : null}
                <span className="block truncate text-xs text-slate-600 dark:text-slate-400">
                  <span className="font-mono">{t.ticketNumber}</span> · {t.requester.name ?? t.requester.email} · {CATEGORY_LABELS[t.category]} ·{" "}
                  {t.assignee ? `assigned to ${t.assignee.name ?? t.assignee.email}` : "unassigned"}
                </span>
                {t.tags.length ? (
                  <span className="mt-1 flex flex-wrap gap-1" data-testid="row-tags">
                    {t.tags.map((tag) => (
                      <span key={tag} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                        {tag}
                      </span>
                    ))}
                  </span>
                ) : null}
              </span>
              <span className="flex flex-wrap items-center gap-2 md:justify-end">
                <PriorityBadge priority={t.priority} />
                <StatusBadge status={t.status} />
                <SlaCountdown ticket={t} targets={targets} renderedAt={renderedAt} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
