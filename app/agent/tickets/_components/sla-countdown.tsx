"use client";

import { cn } from "@/components/ui/cn";
import { formatCountdown, slaView, type SlaInput, type SlaTargets } from "@/lib/support/sla";
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

/**
 * A live SLA countdown (ticks every second): red once a deadline passed,
 * amber when due soon, grey while the clock waits on the customer. Computed
 * in the browser from the ticket's deadlines, so it is never stale.
 */
export function SlaCountdown({ ticket, targets, renderedAt, className }: { ticket: SlaFields; targets: SlaTargets; renderedAt: number; className?: string }) {
  const now = useNow(renderedAt);
  const v = slaView(ticket, new Date(now), targets);
  const what = v.clock === "response" ? "first response" : "resolution";
  let text: string;
  if (v.state === "stopped") text = "Clock stopped";
  else if (v.remainingMs < 0) text = `${formatCountdown(v.remainingMs)} overdue (${what})`;
  else if (v.state === "breached") text = `Breached · ${formatCountdown(v.remainingMs)} to ${what}`;
  else if (v.state === "paused") text = `Paused · ${formatCountdown(v.remainingMs)} left`;
  else text = `${formatCountdown(v.remainingMs)} to ${what}`;
  return (
    <span
      data-testid="sla-countdown"
      data-sla-state={v.state}
      title={`${what} due ${v.dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC`}
      className={cn("inline-flex items-center gap-1.5 whitespace-nowrap text-sm tabular-nums", tones[v.state], className)}
    >
      <span aria-hidden="true" className={cn("inline-block size-2 rounded-full", v.state === "breached" ? "bg-red-600" : v.state === "due_soon" ? "bg-amber-500" : v.state === "on_track" ? "bg-emerald-500" : "bg-slate-400")} />
      {text}
    </span>
  );
}
