import { cn } from "@/components/ui/cn";

/**
 * A horizontal bar for "used of allowed". Amber from 80 %, red from 100 %.
 * The caller renders the numbers as text; `label` names the bar for screen readers.
 */
export function ProgressBar({ value, max, label, testId }: { value: number; max: number; label: string; testId?: string }) {
  const pct = max > 0 ? (value / max) * 100 : 0;
  const shown = Math.min(100, pct);
  const tone = pct >= 100 ? "bg-red-500 dark:bg-red-400" : pct >= 80 ? "bg-amber-500 dark:bg-amber-400" : "bg-sky-600 dark:bg-sky-400";
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(shown)}
      aria-valuetext={`${Math.round(pct)} %`}
      data-testid={testId}
      className="h-3 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
    >
      <div className={cn("h-full rounded-full", tone)} style={{ width: `${value > 0 ? Math.max(shown, 1) : 0}%` }} />
    </div>
  );
}
