"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";

export interface ServerAllocation {
  serverId: string;
  name: string;
  capacity: number;
  addressesAllocated: number;
}

type Row = ServerAllocation & { free: number };

// Colours as CSS variables set on the wrapper, so light and dark mode each get readable bars.
const ALLOCATED = "var(--chart-allocated)";
const FREE = "var(--chart-free)";

function AllocationTooltip({ active, payload }: TooltipContentProps) {
  const row = active ? (payload?.[0]?.payload as Row | undefined) : undefined;
  if (!row) return null;
  const pct = row.capacity > 0 ? Math.round((row.addressesAllocated / row.capacity) * 1000) / 10 : 0;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-700 shadow-md dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200">
      <p className="font-semibold">{row.name}</p>
      <p>
        {row.addressesAllocated.toLocaleString("en")} of {row.capacity.toLocaleString("en")} allocated ({pct}%)
      </p>
    </div>
  );
}

/**
 * Addresses allocated against capacity, one stacked bar per server
 * (allocated + free = capacity). Horizontal so long server names stay
 * readable on a phone. Client-only: loaded through AllocationChartLoader.
 */
export default function AllocationChart({ servers }: { servers: ServerAllocation[] }) {
  const data: Row[] = servers.map((s) => ({ ...s, free: Math.max(0, s.capacity - s.addressesAllocated) }));
  const height = Math.max(160, data.length * 44 + 70);
  return (
    <div
      className="text-slate-600 [--chart-allocated:#0284c7] [--chart-free:#cbd5e1] [--chart-grid:#e2e8f0] dark:text-slate-400 dark:[--chart-allocated:#38bdf8] dark:[--chart-free:#334155] dark:[--chart-grid:#1e293b]"
      style={{ height }}
      aria-hidden="true"
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }} barCategoryGap="25%">
          <CartesianGrid horizontal={false} stroke="var(--chart-grid)" />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
          <YAxis type="category" dataKey="name" width={110} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
          <Tooltip content={AllocationTooltip} cursor={{ fill: "var(--chart-grid)", fillOpacity: 0.5 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span className="text-slate-700 dark:text-slate-300">{value}</span>} />
          <Bar dataKey="addressesAllocated" name="Allocated" stackId="a" fill={ALLOCATED} isAnimationActive={false} />
          <Bar dataKey="free" name="Free" stackId="a" fill={FREE} radius={[0, 4, 4, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
