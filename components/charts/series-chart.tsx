"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltip } from "./chart-tooltip";
import { legendText } from "./legend";
import { formatAxis, formatTick, niceTicks, type AxisKind, type ValueKind } from "./format";
import { CHART_THEME, chartColor, type ChartRow, type Series } from "./theme";

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
}

const tick = { fill: "currentColor", fontSize: 12 };

/** The largest value the chart draws: per row, stacked series add up. */
function maxValue(data: ChartRow[], series: Series[]): number {
  let max = 0;
  for (const row of data) {
    const stacks = new Map<string, number>();
    for (const s of series) {
      const v = Number(row[s.key] ?? 0) || 0;
      const key = s.stack ?? s.key;
      stacks.set(key, (stacks.get(key) ?? 0) + v);
    }
    for (const v of stacks.values()) max = Math.max(max, v);
  }
  return max;
}

/**
 * One cartesian chart (bars, lines or areas) over rows of numbers. Values
 * start at zero on every kind, and points are joined by straight lines (a
 * smoothed curve would draw values that were never measured). Client-only
 * (recharts measures the DOM and calls Math.random in render): loaded through
 * the wrappers in ./charts.tsx, never imported by a server component.
 */
export default function SeriesChart({ type, data, xKey, xKind, series, valueKind, height = 240, horizontal = false }: SeriesChartProps) {
  const stacked = series.some((s) => s.stack);
  const labelOf = (v: string) => formatAxis(xKind, v);
  const valueTick = (v: number) => formatTick(valueKind, v);
  const ticks = niceTicks(valueKind, maxValue(data, series));
  const domain: [number, number] = [0, ticks[ticks.length - 1]!];
  // Room for the longest tick label at 12px, and no more: phones need the width for the bars.
  const valueAxisWidth = Math.max(32, Math.max(...ticks.map((t) => valueTick(t).length)) * 7 + 12);
  // No keyboard layer: the chart is hidden from assistive technology (its numbers are a table beside it), so nothing in it may take focus.
  const common = { data, margin: { top: 8, right: horizontal ? 28 : 12, bottom: 4, left: 4 }, accessibilityLayer: false };
  const grid = <CartesianGrid stroke="var(--chart-grid)" vertical={horizontal} horizontal={!horizontal} />;
  const tooltip = (
    <Tooltip
      content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} valueKind={valueKind} formatLabel={labelOf} showTotal={stacked} />}
      cursor={type === "bar" ? { fill: "var(--chart-grid)", fillOpacity: 0.6 } : { stroke: "currentColor", strokeOpacity: 0.4 }}
    />
  );
  const legend = series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} /> : null;
  const categoryAxis = horizontal ? (
    <YAxis type="category" dataKey={xKey} width={110} tick={tick} stroke="currentColor" tickFormatter={labelOf} interval={0} />
  ) : (
    <XAxis dataKey={xKey} tick={tick} stroke="currentColor" tickFormatter={labelOf} minTickGap={16} interval="preserveStartEnd" />
  );
  const valueAxis = horizontal ? (
    <XAxis type="number" tick={tick} stroke="currentColor" tickFormatter={valueTick} ticks={ticks} domain={domain} interval={0} />
  ) : (
    <YAxis tick={tick} stroke="currentColor" tickFormatter={valueTick} width={valueAxisWidth} ticks={ticks} domain={domain} interval={0} />
  );

  let chart;
  if (type === "bar") {
    chart = (
      <BarChart {...common} layout={horizontal ? "vertical" : "horizontal"} barCategoryGap={horizontal ? "25%" : "15%"}>
        {grid}
        {categoryAxis}
        {valueAxis}
        {tooltip}
        {legend}
        {series.map((s, i) => {
          const last = !s.stack || i === series.length - 1 || series[i + 1]?.stack !== s.stack;
          const radius: [number, number, number, number] = last ? (horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0]) : [0, 0, 0, 0];
          return <Bar key={s.key} dataKey={s.key} name={s.name} stackId={s.stack} fill={chartColor(s.color)} radius={radius} isAnimationActive={false} />;
        })}
      </BarChart>
    );
  } else if (type === "line") {
    chart = (
      <LineChart {...common}>
        {grid}
        {categoryAxis}
        {valueAxis}
        {tooltip}
        {legend}
        {series.map((s) => (
          <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={chartColor(s.color)} strokeWidth={2} dot={data.length <= 31 ? { r: 2 } : false} isAnimationActive={false} />
        ))}
      </LineChart>
    );
  } else {
    chart = (
      <AreaChart {...common}>
        {grid}
        {categoryAxis}
        {valueAxis}
        {tooltip}
        {legend}
        {series.map((s) => (
          <Area
            key={s.key}
            type="linear"
            dataKey={s.key}
            name={s.name}
            stackId={s.stack}
            stroke={chartColor(s.color)}
            fill={chartColor(s.color)}
            fillOpacity={0.25}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  }

  return (
    <div className={CHART_THEME} style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        {chart}
      </ResponsiveContainer>
    </div>
  );
}
