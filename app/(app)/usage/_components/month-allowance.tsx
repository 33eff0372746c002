import type { UsagePageData } from "@/lib/dal/analytics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/charts/progress-bar";
import { formatBytes } from "@/components/charts/format";

/** The reset is local midnight in the account's zone: show that day, not the UTC one. */
const dayIn = (iso: string, timeZone: string) => new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone }).format(new Date(iso));

/** This calendar month (in the account's time zone) against the plan's data allowance. */
export function MonthAllowance({ month }: { month: UsagePageData["month"] }) {
  const { bytes, allowanceBytes, resetsAt, planName, timeZone, blockedUntil } = month;
  const resets = dayIn(resetsAt, timeZone);
  const over = allowanceBytes !== null && bytes > allowanceBytes;
  return (
    <Card data-testid="usage-month">
      <CardHeader title="This month" description={`Your ${planName} plan. Months run in ${timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.`} />
      <CardBody className="space-y-3">
        {blockedUntil ? (
          <p className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="usage-quota-blocked">
            This month&apos;s allowance is used up: your devices are paused until {dayIn(blockedUntil, timeZone)}.
          </p>
        ) : null}
        {allowanceBytes === null ? (
          <p className="text-sm">
            <span className="text-lg font-semibold tabular-nums">{formatBytes(bytes)}</span> used this month —{" "}
            <span className="text-slate-600 dark:text-slate-400">no limit on the {planName} plan.</span>
          </p>
        ) : (
          <>
            <p className="text-sm">
              <span className="text-lg font-semibold tabular-nums">{formatBytes(bytes)}</span> of {formatBytes(allowanceBytes)}, resets on {resets}
            </p>
            <ProgressBar value={bytes} max={allowanceBytes} label="Data used this month" testId="usage-month-bar" />
            {over ? (
              <p className="text-sm text-red-700 dark:text-red-400">You are over this month&apos;s allowance by {formatBytes(bytes - allowanceBytes)}.</p>
            ) : (
              <p className="text-xs text-slate-500 dark:text-slate-400">{formatBytes(allowanceBytes - bytes)} left until {resets}.</p>
            )}
          </>
        )}
      </CardBody>
    </Card>
  );
}
