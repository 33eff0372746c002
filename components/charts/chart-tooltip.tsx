"use client";

import type { TooltipContentProps } from "recharts";
import { formatValue, type ValueKind } from "./format";

/**
 * The tooltip of every chart: the label, then each series with its value in
 * human units, and the total when the series are stacked.
 */
export function ChartTooltip({
  active,
  payload,
  label,
  valueKind,
  formatLabel,
  showTotal,
}: Pick<TooltipContentProps, "active" | "payload" | "label"> & { valueKind: ValueKind; formatLabel: (v: string) => string; showTotal?: boolean }) {
  if (!active || !payload?.length) return null;
  const items = payload.filter((p) => typeof p.value === "number");
  const total = items.reduce((sum, p) => sum + (p.value as number), 0);
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-900 shadow-md dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
      <p className="font-semibold">{formatLabel(String(label ?? ""))}</p>
      <ul className="mt-1 space-y-0.5">
        {items.map((p) => (
          <li key={String(p.dataKey)} className="flex items-center gap-2">
            <span aria-hidden="true" className="inline-block size-2 rounded-full" style={{ background: p.color }} />
            <span>{p.name}</span>
            <span className="ml-auto pl-3 font-medium tabular-nums">{formatValue(valueKind, p.value as number)}</span>
          </li>
        ))}
      </ul>
      {showTotal && items.length > 1 ? (
        <p className="mt-1 flex justify-between gap-3 border-t border-slate-200 pt-1 dark:border-slate-700">
          <span>Total</span>
          <span className="font-medium tabular-nums">{formatValue(valueKind, total)}</span>
        </p>
      ) : null}
    </div>
  );
}
