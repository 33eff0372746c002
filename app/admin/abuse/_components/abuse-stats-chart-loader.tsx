"use client";

import dynamic from "next/dynamic";
import { SEVERITIES, type IncidentType } from "@/lib/abuse/types";
import type { TypeSeverityCounts } from "./abuse-stats-chart";
import { SEVERITY_LABELS, TYPE_LABELS } from "./labels";

// recharts renders with Math.random() and measures the DOM: client-only, never prerendered.
const AbuseStatsChart = dynamic(() => import("./abuse-stats-chart"), {
  ssr: false,
  loading: () => (
    <div
      className="h-72 animate-pulse rounded-md bg-slate-100 dark:bg-slate-800"
      aria-hidden="true"
    />
  ),
});

/** The chart, plus the same numbers as a table for screen readers (the chart itself is hidden from them). */
export function AbuseStatsChartLoader({
  counts,
}: {
  counts: TypeSeverityCounts;
}) {
  return (
    <div data-testid="abuse-chart" className="relative">
      <AbuseStatsChart counts={counts} />
      {/* sr-only on the wrapper: a table ignores width and overflow, and would widen the page on a phone. */}
      <div className="sr-only">
        <table>
          <caption>Incidents by type and severity</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              {SEVERITIES.map((s) => (
                <th key={s} scope="col">
                  {SEVERITY_LABELS[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(Object.keys(TYPE_LABELS) as IncidentType[]).map((t) => (
              <tr key={t}>
                <th scope="row">{TYPE_LABELS[t]}</th>
                {SEVERITIES.map((s) => (
                  <td key={s}>{counts[t][s]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
