import type { ReactNode } from "react";
import SeriesPlot, { type SeriesChartProps } from "./series-chart";
import DonutPlot, { type DonutSlice } from "./donut-chart";
import { seriesTableMarkup } from "./series-table";
import { axisTitle, zoneOrUtc } from "./format";
import { readerTimeZone } from "@/lib/format/reader-time-zone";

// The charts are drawn on the server (SVG, no script): server pages import
// these wrappers, which add the empty state and the screen-reader text.

/** What stands in for a chart with nothing to draw: a sentence, not empty axes. */
export function EmptyChart({ children, height = 160, testId }: { children: ReactNode; height?: number; testId?: string }) {
  return (
    <div
      data-testid={testId}
      data-empty-chart=""
      className="flex items-center justify-center rounded-md border border-dashed border-slate-300 px-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400"
      style={{ minHeight: Math.min(height, 160) }}
    >
      <p>{children}</p>
    </div>
  );
}

/** True when the rows hold no value above zero for any series (nothing to draw). */
function isEmptySeries(data: SeriesChartProps["data"], series: SeriesChartProps["series"]): boolean {
  return !data.some((row) => series.some((s) => Number(row[s.key] ?? 0) > 0));
}

/**
 * A bar, line or area chart, plus the same numbers as a table for screen
 * readers (the chart itself is hidden from them). `testId` goes on the
 * wrapper. With no rows, or only zeros, it shows `empty` instead of axes.
 * `unit` names what a count axis counts ("sessions"); the other kinds carry
 * their unit on every tick. Hours are labelled in the reader's zone (their
 * `tz` cookie, or `timeZone`), with the instant in UTC in each label's title;
 * days are the rollups' UTC days. Either way a line under the chart and the
 * table's caption say which.
 */
export async function SeriesChart({
  label,
  testId,
  empty = "Nothing to show for this period yet.",
  unit,
  timeZone,
  ...props
}: SeriesChartProps & { label: string; testId?: string; empty?: ReactNode; unit?: string }) {
  if (isEmptySeries(props.data, props.series)) {
    return (
      <EmptyChart height={props.height ?? 240} testId={testId}>
        {empty}
      </EmptyChart>
    );
  }
  // Only an hourly axis depends on the reader's zone (and only it reads the cookie).
  const zone = props.xKind === "hour" ? zoneOrUtc(timeZone ?? (await readerTimeZone())) : "UTC";
  const axis = axisTitle(props.xKind, zone);
  return (
    <div data-testid={testId} data-chart-figure="" className="relative min-w-0">
      {unit ? (
        <p className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300" data-chart-unit="">
          {unit}
        </p>
      ) : null}
      <SeriesPlot {...props} timeZone={zone} />
      {axis ? (
        <p aria-hidden="true" className="mt-0.5 text-right text-xs text-slate-600 dark:text-slate-400" data-chart-axis-title="">
          {axis}
        </p>
      ) : null}
      {/* In a div: a table ignores the 1px height of sr-only and would stretch the page. */}
      <div className="sr-only" dangerouslySetInnerHTML={{ __html: seriesTableMarkup({ label, ...props, timeZone: zone }) }} />
    </div>
  );
}

/** A donut of shares of a whole, plus its numbers as a list for screen readers; an empty state when every share is zero. */
export function DonutChart({
  label,
  slices,
  centerLabel,
  testId,
  height = 220,
  empty = "Nothing to show yet.",
}: {
  label: string;
  slices: DonutSlice[];
  centerLabel?: string;
  testId?: string;
  height?: number;
  empty?: ReactNode;
}) {
  if (!slices.some((s) => s.value > 0)) {
    return (
      <EmptyChart height={height} testId={testId}>
        {empty}
      </EmptyChart>
    );
  }
  return (
    <div data-testid={testId} className="relative min-w-0" style={{ minHeight: height }}>
      <DonutPlot slices={slices} centerLabel={centerLabel} height={height} />
      <ul className="sr-only" aria-label={label}>
        {slices.map((s) => (
          <li key={s.name}>
            {s.name}: {s.value.toLocaleString("en")}
          </li>
        ))}
      </ul>
    </div>
  );
}

export type { Series, ChartRow, ChartColor } from "./theme";
export type { DonutSlice } from "./donut-chart";
