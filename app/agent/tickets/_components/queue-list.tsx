import Link from "next/link";
import type { QueueTicketDto } from "@/lib/services/support";
import type { SlaTargets } from "@/lib/support/sla";
import { CATEGORY_LABELS } from "@/lib/support/labels";
import { PriorityBadge, StatusBadge } from "@/components/support/badges";
import { SlaCountdown } from "./sla-countdown";

/** One row per ticket, most urgent deadline first; stacks into cards on phones. */
export function QueueList({ items, targets, renderedAt }: { items: QueueTicketDto[]; targets: SlaTargets; renderedAt: number }) {
  return (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Tickets">
      {items.map((t) => (
        <li key={t.id} data-testid="queue-row" data-ticket-number={t.ticketNumber}>
          <Link href={`/agent/tickets/${t.id}`} className="grid gap-2 px-4 py-3 hover:bg-slate-50 sm:px-6 md:grid-cols-[1fr_auto] md:items-center dark:hover:bg-slate-800/50">
            <span className="min-w-0">
              <span className="block truncate font-medium">{t.subject}</span>
              <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
                <span className="font-mono">{t.ticketNumber}</span> · {t.requester.name ?? t.requester.email} · {CATEGORY_LABELS[t.category]} ·{" "}
                {t.assignee ? `assigned to ${t.assignee.name ?? t.assignee.email}` : "unassigned"}
              </span>
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
  );
}
