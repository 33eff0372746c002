import type { AbuseStatsDto } from "@/lib/dal/abuse";
import { SEVERITIES } from "@/lib/abuse/types";
import { cn } from "@/components/ui/cn";
import { AbuseStatsChart } from "./abuse-stats-chart";
import { SEVERITY_LABELS } from "@/components/abuse/labels";

function Stat({ label, value, id, alert }: { label: string; value: number; id: string; alert?: boolean }) {
  return (
    <div data-stat={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", alert && value > 0 ? "text-red-700 dark:text-red-300" : undefined)}>{value.toLocaleString("en")}</dd>
    </div>
  );
}

/** Open counts now, totals of the period, and the by-type/by-severity chart. */
export function AbuseStats({ stats }: { stats: AbuseStatsDto }) {
  return (
    <div className="space-y-4" data-testid="abuse-stats">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat id="pending" label="Pending" value={stats.pending} alert />
        <Stat id="investigating" label="Investigating" value={stats.investigating} />
        <Stat id="total" label={`Detected, last ${stats.periodDays} days`} value={stats.total} />
        <Stat id="critical" label={`Critical, last ${stats.periodDays} days`} value={stats.bySeverity.critical} alert />
      </dl>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        By severity, last {stats.periodDays} days:{" "}
        {SEVERITIES.map((s) => `${SEVERITY_LABELS[s]} ${stats.bySeverity[s]}`).join(" · ")}
      </p>
      <AbuseStatsChart counts={stats.byTypeAndSeverity} days={stats.periodDays} />
    </div>
  );
}
