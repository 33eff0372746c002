import { cn } from "@/components/ui/cn";

/**
 * "12 of 253" with a thin bar under it. The bar is decoration: the numbers
 * are the accessible text. Amber from 80 % full, red from 95 %.
 */
export function UsageBar({ used, capacity, label = "used" }: { used: number; capacity: number; label?: string }) {
  const pct = capacity > 0 ? Math.min(100, (used / capacity) * 100) : 100;
  const tone = pct >= 95 ? "bg-red-500 dark:bg-red-400" : pct >= 80 ? "bg-amber-500 dark:bg-amber-400" : "bg-sky-600 dark:bg-sky-400";
  return (
    <div className="min-w-28 space-y-1">
      <div className="whitespace-nowrap tabular-nums">
        {used.toLocaleString("en")} <span className="text-slate-500 dark:text-slate-400">of {capacity.toLocaleString("en")} {label}</span>
      </div>
      <div aria-hidden="true" className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${used > 0 ? Math.max(pct, 2) : 0}%` }} />
      </div>
    </div>
  );
}
