"use client";

import dynamic from "next/dynamic";
import { formatAxis, formatValue } from "./format";
import type { SeriesChartProps } from "./series-chart";
import type { DonutSlice } from "./donut-chart";

// recharts measures the DOM and calls Math.random() in render: the charts are
// client-only, never prerendered. Server pages import these wrappers.
const skeleton = (height: number) =>
  function ChartSkeleton() {
    return <div className="animate-pulse rounded-md bg-slate-100 dark:bg-slate-800" style={{ height }} aria-hidden="true" />;
  };

const LazySeriesChart = dynamic(() => import("./series-chart"), { ssr: false, loading: skeleton(240) });
const LazyDonutChart = dynamic(() => import("./donut-chart"), { ssr: false, loading: skeleton(220) });

/**
 * A bar, line or area chart, plus the same numbers as a table for screen
 * readers (the chart itself is hidden from them). `testId` goes on the wrapper.
 */
export function SeriesChart({ label, testId, ...props }: SeriesChartProps & { label: string; testId?: string }) {
  return (
    <div data-testid={testId} className="relative min-w-0" style={{ minHeight: props.height ?? 240 }}>
      <LazySeriesChart {...props} />
      {/* In a div: a table ignores the 1px height of sr-only and would stretch the page. */}
      <div className="sr-only">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">{props.horizontal ? "Name" : "Time"}</th>
              {props.series.map((s) => (
                <th key={s.key} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.data.map((row, i) => (
              <tr key={`${String(row[props.xKey])}-${i}`}>
                <th scope="row">{formatAxis(props.xKind, String(row[props.xKey]))}</th>
                {props.series.map((s) => (
                  <td key={s.key}>{formatValue(props.valueKind, Number(row[s.key] ?? 0))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A donut of shares of a whole, plus its numbers as a list for screen readers. */
export function DonutChart({ label, slices, centerLabel, testId, height = 220 }: { label: string; slices: DonutSlice[]; centerLabel?: string; testId?: string; height?: number }) {
  return (
    <div data-testid={testId} className="relative min-w-0" style={{ minHeight: height }}>
      <LazyDonutChart slices={slices} centerLabel={centerLabel} height={height} />
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
