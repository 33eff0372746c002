import type { QuotaSummary } from "@/lib/dal/quota-summary";
import { cn } from "@/components/ui/cn";
import { formatBytes as gb } from "@/lib/format/bytes";

/** The reset is local midnight in the account's zone: that is the day to show. */
const day = (iso: string, timeZone: string) => new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone }).format(new Date(iso));

/**
 * One compact line under the page title: this calendar month's data against
 * the plan's allowance and when it renews — or, at 100 %, that the devices
 * are paused until then.
 */
export function QuotaLine({ quota }: { quota: QuotaSummary }) {
  const { bytes, allowanceBytes, resetsAt, timeZone, blockedUntil } = quota;
  if (allowanceBytes === null) {
    return (
      <p className="-mt-4 mb-6 text-xs text-slate-500 dark:text-slate-400" data-testid="devices-quota">
        {gb(bytes)} used this month · no data limit on your plan
      </p>
    );
  }
  const percent = allowanceBytes > 0 ? Math.min(100, Math.round((bytes / allowanceBytes) * 100)) : 100;
  if (blockedUntil) {
    return (
      <p role="status" className="-mt-2 mb-6 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="devices-quota">
        <strong>Devices paused:</strong> this month&apos;s {gb(allowanceBytes)} are used up ({gb(bytes)}). They reconnect on {day(blockedUntil, timeZone)}, when
        your allowance renews.
      </p>
    );
  }
  return (
    <p className={cn("-mt-4 mb-6 text-xs", percent >= 80 ? "text-amber-800 dark:text-amber-300" : "text-slate-500 dark:text-slate-400")} data-testid="devices-quota">
      Data this month: <span className="font-medium tabular-nums">{gb(bytes)}</span> of {gb(allowanceBytes)} ({percent} %) · resets {day(resetsAt, timeZone)}
      {timeZone !== "UTC" ? ` (${timeZone})` : ""}
    </p>
  );
}
