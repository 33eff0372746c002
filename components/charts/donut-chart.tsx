"use client";

import { Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import { ChartTooltip } from "./chart-tooltip";
import { legendText } from "./legend";
import { CHART_THEME, chartColor, type ChartColor } from "./theme";

export interface DonutSlice {
  name: string;
  value: number;
  color: ChartColor;
}

/** Shares of a whole (server health), with the total in the middle. Client-only, like SeriesChart. */
export default function DonutChart({ slices, centerLabel, height = 220 }: { slices: DonutSlice[]; centerLabel?: string; height?: number }) {
  const total = slices.reduce((s, x) => s + x.value, 0);
  return (
    <div className={`relative ${CHART_THEME}`} style={{ height }} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <PieChart accessibilityLayer={false}>
          <Pie rootTabIndex={-1} data={slices} dataKey="value" nameKey="name" innerRadius="58%" outerRadius="82%" paddingAngle={slices.filter((s) => s.value > 0).length > 1 ? 2 : 0} stroke="none" isAnimationActive={false}>
            {slices.map((s) => (
              <Cell key={s.name} fill={chartColor(s.color)} />
            ))}
          </Pie>
          <Tooltip content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={centerLabel ?? ""} valueKind="count" formatLabel={(v) => v} />} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
        </PieChart>
      </ResponsiveContainer>
      <div className="pointer-events-none absolute inset-x-0 top-0 flex flex-col items-center justify-center" style={{ height: height - 36 }}>
        <span className="text-2xl font-semibold tabular-nums text-slate-900 dark:text-slate-100">{total.toLocaleString("en")}</span>
        {centerLabel ? <span className="text-xs">{centerLabel}</span> : null}
      </div>
    </div>
  );
}
