import type { ReactNode } from "react";
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { TicketStatsDto } from "@/lib/dal/tickets";

function hours(seconds: number | null): string {
  if (seconds == null) return "—";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400 * 2) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} d`;
}

function Stat({ label, value, tone, hint }: { label: string; value: ReactNode; tone?: "danger" | "warning"; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={cn("mt-1 text-xl font-semibold tabular-nums", tone === "danger" ? "text-red-700 dark:text-red-400" : tone === "warning" ? "text-amber-700 dark:text-amber-400" : "")}>{value}</dd>
      {hint ? <dd className="text-xs text-slate-500 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}

/** The queue's tags, most used first, each a link to the queue filtered by it. */
function TagCounts({ tags, current }: { tags: TicketStatsDto["tags"]; current?: string }) {
  if (tags.length === 0) return null;
  return (
    <nav aria-label="Tags in the queue" className="mb-6 flex flex-wrap items-center gap-2" data-testid="tag-counts">
      <span className="text-xs font-medium text-slate-600 dark:text-slate-400">Tags in the queue:</span>
      {tags.map(({ tag, count }) => (
        <Link
          key={tag}
          href={`/agent/tickets?${new URLSearchParams({ tag })}`}
          aria-current={current === tag ? "page" : undefined}
          className={cn(
            "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-sm",
            current === tag ? "border-sky-700 bg-sky-700 text-white dark:border-sky-400 dark:bg-sky-500 dark:text-slate-950" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
          )}
        >
          {tag}{" "}
          <span className="tabular-nums opacity-80">
            {count}
            <span className="sr-only">{count === 1 ? " open ticket" : " open tickets"}</span>
          </span>
        </Link>
      ))}
    </nav>
  );
}

/** The queue's card row: what is waiting, what is late, how fast the team is; then the tags of the open tickets. */
export function TicketStatsRow({ stats, currentTag }: { stats: TicketStatsDto; currentTag?: string }) {
  return (
    <>
    <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="ticket-stats">
      <Stat label="Open" value={stats.open} hint={`${stats.total} total`} />
      <Stat label="Unassigned" value={stats.unassigned} />
      <Stat label="Breached now" value={stats.breachedNow} tone={stats.breachedNow > 0 ? "danger" : undefined} hint={`${stats.slaBreaches} recorded`} />
      <Stat label="Due soon" value={stats.dueSoon} tone={stats.dueSoon > 0 ? "warning" : undefined} />
      <Stat label="Avg first response" value={hours(stats.averageFirstResponseSeconds)} />
      <Stat label="Avg resolution" value={hours(stats.averageResolutionSeconds)} hint={stats.averageRating != null ? `★ ${stats.averageRating.toFixed(1)} (${stats.ratings})` : undefined} />
    </dl>
    <TagCounts tags={stats.tags} current={currentTag} />
    </>
  );
}
