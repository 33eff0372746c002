import type { UsagePageData } from "@/lib/dal/analytics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/charts/progress-bar";
import { formatBytes, formatDay } from "@/components/charts/format";

/** This calendar month (UTC) against the plan's data allowance. */
export function MonthAllowance({ month }: { month: UsagePageData["month"] }) {
  const { bytes, allowanceBytes, resetsAt, planName } = month;
  const resets = formatDay(resetsAt);
  const over = allowanceBytes !== null && bytes > allowanceBytes;
  return (
    <Card data-testid="usage-month">
      <CardHeader title="This month" description={`Your ${planName} plan. Months run in UTC.`} />
      <CardBody className="space-y-3">
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
