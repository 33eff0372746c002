import { SEVERITIES, type IncidentType, type Severity } from "@/lib/abuse/types";
import { SeriesChart } from "@/components/charts/charts";
import type { ChartColor } from "@/components/charts/theme";
import { SEVERITY_LABELS, TYPE_LABELS } from "@/components/abuse/labels";

export type TypeSeverityCounts = Record<IncidentType, Record<Severity, number>>;

/** Grey to red as severity rises. */
const COLOR: Record<Severity, ChartColor> = { low: 6, medium: 4, high: 7, critical: 5 };

/** Incidents per type, stacked by severity: both breakdowns in one chart, and the same numbers as a table for screen readers. */
export function AbuseStatsChart({ counts, days }: { counts: TypeSeverityCounts; days: number }) {
  const types = Object.keys(TYPE_LABELS) as IncidentType[];
  return (
    <SeriesChart
      testId="abuse-chart"
      label="Incidents by type and severity"
      type="bar"
      horizontal
      labelWidth={170}
      data={types.map((t) => ({ name: TYPE_LABELS[t], ...counts[t] }))}
      xKey="name"
      xKind="category"
      valueKind="count"
      height={288}
      series={SEVERITIES.map((s) => ({ key: s, name: SEVERITY_LABELS[s], color: COLOR[s], stack: "severity" }))}
      empty={`No incident in the last ${days} days.`}
    />
  );
}
