"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SEVERITIES, type IncidentType, type Severity } from "@/lib/abuse/types";
import { SEVERITY_LABELS, TYPE_LABELS } from "./labels";

export type TypeSeverityCounts = Record<IncidentType, Record<Severity, number>>;

// Colours as CSS variables on the wrapper, so light and dark mode each get readable bars.
const FILL: Record<Severity, string> = {
  low: "var(--sev-low)",
  medium: "var(--sev-medium)",
  high: "var(--sev-high)",
  critical: "var(--sev-critical)",
};

/**
 * Incidents per type, stacked by severity: both breakdowns in one chart.
 * Client-only (recharts measures the DOM): loaded through AbuseStatsChartLoader.
 */
export default function AbuseStatsChart({ counts }: { counts: TypeSeverityCounts }) {
  const data = (Object.keys(TYPE_LABELS) as IncidentType[]).map((t) => ({ name: TYPE_LABELS[t], ...counts[t] }));
  return (
    <div
      className="h-72 text-slate-600 [--chart-grid:#e2e8f0] [--sev-low:#94a3b8] [--sev-medium:#f59e0b] [--sev-high:#ea580c] [--sev-critical:#b91c1c] dark:text-slate-400 dark:[--chart-grid:#1e293b] dark:[--sev-low:#64748b] dark:[--sev-medium:#fbbf24] dark:[--sev-high:#fb923c] dark:[--sev-critical:#f87171]"
      aria-hidden="true"
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }} barCategoryGap="25%" accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="var(--chart-grid)" />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
          <YAxis type="category" dataKey="name" width={160} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
          <Tooltip cursor={{ fill: "var(--chart-grid)", fillOpacity: 0.5 }} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {SEVERITIES.map((s) => (
            <Bar key={s} dataKey={s} name={SEVERITY_LABELS[s]} stackId="severity" fill={FILL[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
