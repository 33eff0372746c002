"use client";

import { Fragment } from "react";
import { cn } from "@/components/ui/cn";
import { formatCountdown, isActiveStatus, slaView, type SlaInput, type SlaTargets, type SlaView } from "@/lib/support/sla";
import { useNow } from "./use-now";

export type SlaFields = Pick<SlaInput, "status" | "priority" | "slaBreached" | "slaResponseBreached"> & {
  slaResponseDueAt: string;
  slaDueAt: string;
  slaPausedAt: string | null;
  firstResponseAt: string | null;
};

const tones = {
  breached: "text-red-700 dark:text-red-400 font-semibold",
  due_soon: "text-amber-700 dark:text-amber-400 font-semibold",
  on_track: "text-slate-700 dark:text-slate-300",
  paused: "text-slate-500 dark:text-slate-400",
  stopped: "text-slate-500 dark:text-slate-400",
} as const;

/** The resolution clock is stopped while the ticket waits on the customer (an active ticket with slaPausedAt set). */
const isPaused = (t: SlaFields) => t.slaPausedAt != null && isActiveStatus(t.status);

/**
 * What the countdown says. A paused clock reads as paused, whatever else is
 * true: its remaining time does not run down, so "Breached · 45 min to
 * resolution" would be wrong twice. A breach already recorded is added to
 * it; a first response still owed keeps counting (that clock never pauses).
 */
export function countdownText(t: SlaFields, v: SlaView): string {
  const what = v.clock === "response" ? "first response" : "resolution";
  if (isPaused(t)) {
    const paused = "Paused — waiting on customer";
    if (v.clock === "response") return `${paused} · first response ${v.remainingMs < 0 ? `${formatCountdown(v.remainingMs)} overdue` : `due in ${formatCountdown(v.remainingMs)}`}`;
    if (v.responseBreached || v.resolutionBreached) return `${paused} · SLA breached`;
    return `${paused} · ${formatCountdown(v.remainingMs)} left`;
  }
  if (v.state === "stopped") return "Clock stopped";
  if (v.remainingMs < 0) return `${formatCountdown(v.remainingMs)} overdue (${what})`;
  if (v.state === "breached") return `Breached · ${formatCountdown(v.remainingMs)} to ${what}`;
  return `${formatCountdown(v.remainingMs)} to ${what}`;
}

/**
 * A live SLA countdown (ticks every second): red once a deadline passed,
 * amber when due soon, grey while the clock waits on the customer. Computed
 * in the browser from the ticket's deadlines, so it is never stale.
 */
export function SlaCountdown({ ticket, targets, renderedAt, className }: { ticket: SlaFields; targets: SlaTargets; renderedAt: number; className?: string }) {
  const now = useNow(renderedAt);
  const v = slaView(ticket, new Date(now), targets);
  const text = countdownText(ticket, v);
  const state = isPaused(ticket) ? "paused" : v.state;
  return (
    <span
      data-testid="sla-countdown"
      data-sla-state={state}
      data-sla-breached={v.responseBreached || v.resolutionBreached || undefined}
      title={`${v.clock === "response" ? "first response" : "resolution"} due ${v.dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC`}
      className={cn("inline-flex max-w-full items-center gap-1.5 text-sm tabular-nums", tones[state], className)}
    >
      <span aria-hidden="true" className={cn("inline-block size-2 shrink-0 rounded-full", state === "breached" ? "bg-red-600" : state === "due_soon" ? "bg-amber-500" : state === "on_track" ? "bg-emerald-500" : "bg-slate-400")} />
      {/* The longer paused label may wrap on a phone; each of its parts stays whole. */}
      <span className="min-w-0">
        {text.split(" · ").map((part, i) => (
          <Fragment key={i}>
            {i > 0 ? " · " : null}
            <span className="whitespace-nowrap">{part}</span>
          </Fragment>
        ))}
      </span>
    </span>
  );
}
