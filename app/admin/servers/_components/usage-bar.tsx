import { cn } from "@/components/ui/cn";
import { formatPercent } from "@/components/charts/format";

/**
 * "4.7 % · 12 of 253 addresses" with a thin 0-100 % bar under it: pools of
 * different sizes compare by how full they are. The bar is decoration: the
 * text is the accessible figure. Amber from 80 % full, red from 95 %.
 */
export function UsageBar({ used, capacity, label = "used" }: { used: number; capacity: number; label?: string }) {
  const share = capacity > 0 ? Math.min(1, used / capacity) : 1;
  const pct = share * 100;
  const tone = pct >= 95 ? "bg-red-500 dark:bg-red-400" : pct >= 80 ? "bg-amber-500 dark:bg-amber-400" : "bg-sky-600 dark:bg-sky-400";
  return (
    <div className="min-w-36 space-y-1">
      <div className="whitespace-nowrap tabular-nums">
        <strong className="font-semibold">{formatPercent(share)}</strong>{" "}
        <span className="text-slate-600 dark:text-slate-400">
          · {used.toLocaleString("en")} of {capacity.toLocaleString("en")} {label}
        </span>
      </div>
      <div aria-hidden="true" className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${used > 0 ? Math.max(pct, 2) : 0}%` }} />
      </div>
    </div>
  );
}
