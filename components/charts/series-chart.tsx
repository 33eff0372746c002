import { cn } from "@/components/ui/cn";
import { formatAxis, formatHourUtc, formatTick, niceTicks, type AxisKind, type ValueKind } from "./format";
import { labelledRows, maxValue, position, scale, VIEW } from "./geometry";
import { plotMarkup } from "./plot-markup";
import { rowPerPoint } from "./series-table";
import { ChartHover } from "./chart-hover";
import { ChartLegend } from "./legend";
import { CHART_THEME, type ChartRow, type Series } from "./theme";

export interface SeriesChartProps {
  type: "bar" | "line" | "area";
  data: ChartRow[];
  /** The property holding each row's label (a date, an hour, a device name). */
  xKey: string;
  xKind: AxisKind;
  series: Series[];
  valueKind: ValueKind;
  height?: number;
  /** Bars along the vertical axis, for long category names (devices) on a phone. */
  horizontal?: boolean;
  /** The width of the category names beside horizontal bars, in pixels. */
  labelWidth?: number;
  /** The reader's time zone for hourly labels (UTC when not given; ./charts.tsx reads it); days stay UTC days. */
  timeZone?: string;
}

/**
 * How many category labels fit under the chart, by the width of the chart
 * itself (a container query: the same chart is narrow in a three-column
 * card): under 24rem, from 24rem, from 36rem. An hour ("Dec 5, 14:00") is
 * about 80 px of text, a day ("Nov 17") about 45.
 */
const LABELS: Record<AxisKind, [number, number, number]> = { day: [3, 5, 8], hour: [2, 3, 5], category: [Infinity, Infinity, Infinity] };

/** The classes that show or hide a label from each width step on (literal, so the stylesheet has them). */
const FROM = [
  { show: "", hide: "hidden" },
  { show: "@sm:block", hide: "@sm:hidden" },
  { show: "@xl:block", hide: "@xl:hidden" },
];

/** A fraction of the plot as a CSS percentage, to a hundredth of a percent (finer than any pixel). */
const percent = (at: number) => `${Math.round(at * 10000) / 100}%`;

/** The class placing a label centred on its position, or inside the plot when it sits on an edge. */
const anchor = (at: number, axis: "x" | "y") =>
  axis === "x" ? (at <= 0 ? "" : at >= 1 ? "-translate-x-full" : "-translate-x-1/2") : "-translate-y-1/2";

/**
 * One cartesian chart (bars, lines or areas) over rows of numbers, drawn on
 * the server as SVG (the plot as one string of markup: ./plot-markup.ts): no
 * script, nothing to measure. The plot stretches to its
 * box (non-scaling strokes keep lines crisp); tick labels are HTML placed by
 * percentages, so they keep their size on any width, and a container query
 * shows more of them on a wide chart. Values start at zero on every kind, and
 * points are joined by straight lines (a smoothed curve would draw values
 * that were never measured). Hidden from assistive technology: ./charts.tsx
 * puts the same numbers in a table beside it.
 */
export default function SeriesChart({ type, data, xKey, xKind, series, valueKind, height = 240, horizontal = false, labelWidth = 110, timeZone = "UTC" }: SeriesChartProps) {
  const ticks = niceTicks(valueKind, maxValue(data, series));
  const top = ticks[ticks.length - 1]!;
  const banded = type === "bar";
  const n = data.length;
  const labelOf = (i: number) => formatAxis(xKind, String(data[i]![xKey]), timeZone);
  // An hour label in the reader's zone carries the instant in UTC as its title.
  const titleOf = xKind === "hour" && timeZone !== "UTC" ? (i: number) => formatHourUtc(String(data[i]![xKey])) : undefined;
  const legend = series.length > 1 ? <ChartLegend items={series} /> : null;

  // Value and category axes as HTML, the plot as SVG, in one grid.
  const valueLabels = ticks.map((t, i) => {
    const at = scale(t, top);
    // On a narrow horizontal chart every other value label would collide; the top one always shows.
    const sparse = horizontal && ticks.length > 3 && i % 2 === 1 && i !== ticks.length - 1;
    return (
      <span
        key={t}
        className={cn("chart-tick tabular-nums", horizontal ? cn("top-1.5", anchor(at, "x")) : cn("right-1.5", anchor(at, "y")), sparse && "hidden @md:block")}
        style={horizontal ? { left: percent(at) } : { top: percent(1 - at) }}
      >
        {formatTick(valueKind, t)}
      </span>
    );
  });
  const categoryLabels = horizontal ? (
    data.map((row, i) => (
      <span
        key={`${String(row[xKey])}-${i}`}
        className="absolute right-2 max-w-full -translate-y-1/2 truncate pl-1 text-right text-xs leading-tight"
        style={{ top: percent(position(i, n, true)) }}
      >
        {labelOf(i)}
      </span>
    ))
  ) : (
    <CategoryLabels n={n} kind={xKind} banded={banded} labelOf={labelOf} titleOf={titleOf} />
  );

  const valueAxisWidth = Math.max(32, Math.max(...ticks.map((t) => formatTick(valueKind, t).length)) * 7 + 12);
  const grid = horizontal
    ? { gridTemplateColumns: `${labelWidth}px minmax(0,1fr)`, gridTemplateRows: "minmax(0,1fr) 1.5rem" }
    : { gridTemplateColumns: `${valueAxisWidth}px minmax(0,1fr)`, gridTemplateRows: "minmax(0,1fr) 1.5rem" };

  const plot = (
    <svg
      data-plot=""
      viewBox={`0 0 ${VIEW} ${VIEW}`}
      preserveAspectRatio="none"
      className="absolute inset-0 size-full overflow-visible"
      dangerouslySetInnerHTML={{ __html: plotMarkup({ type, data, series, ticks, horizontal }) }}
    />
  );
  // The values under the pointer come from the screen-reader table, when it has a row per point (./series-table.ts).
  const hoverable = rowPerPoint(xKind, n);

  return (
    <div className={cn(CHART_THEME, "@container flex flex-col")} style={{ height }} aria-hidden="true" data-chart={type}>
      <div className="grid min-h-0 flex-1 pt-2 pr-3" style={grid}>
        <div className="relative">{horizontal ? categoryLabels : valueLabels}</div>
        <div className="relative">
          {hoverable ? (
            <ChartHover n={n} banded={banded} horizontal={horizontal}>
              {plot}
            </ChartHover>
          ) : (
            plot
          )}
        </div>
        <div />
        <div className="relative">{horizontal ? valueLabels : categoryLabels}</div>
      </div>
      {legend}
    </div>
  );
}

/** The labels under a chart over time: a few on a narrow chart, more on a wide one, each where its row is drawn. */
function CategoryLabels({
  n,
  kind,
  banded,
  labelOf,
  titleOf,
}: {
  n: number;
  kind: AxisKind;
  banded: boolean;
  labelOf: (i: number) => string;
  titleOf?: (i: number) => string;
}) {
  const steps = LABELS[kind].map((count) => new Set(labelledRows(n, count)));
  const rows = [...new Set(steps.flatMap((s) => [...s]))].sort((a, b) => a - b);
  return rows.map((i) => {
    const at = position(i, n, banded);
    // A class where visibility changes from one width step to the next.
    const shown = steps.map((s, k) => {
      const before = k === 0 ? true : steps[k - 1]!.has(i);
      return s.has(i) === before ? "" : s.has(i) ? FROM[k]!.show : FROM[k]!.hide;
    });
    return (
      <span key={i} className={cn("chart-tick top-1.5", anchor(at, "x"), ...shown)} style={{ left: percent(at) }} title={titleOf?.(i)}>
        {labelOf(i)}
      </span>
    );
  });
}
