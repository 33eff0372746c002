import type { MyPlanDto } from "@/lib/dal/plans";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/charts/progress-bar";
import { formatBytes } from "@/components/charts/format";
import { ButtonLink } from "@/components/ui/button";
import { dayIn, lifetimeText, priceText } from "./format";

/** The plan that applies now: devices used of its limit and this month's data of its allowance. */
export function CurrentPlan({ mine }: { mine: MyPlanDto }) {
  const { plan, devicesUsed, dataUsedBytes, periodResetsAt, timeZone, blockedUntil } = mine;
  const resets = dayIn(periodResetsAt, timeZone);
  return (
    <Card data-testid="current-plan">
      <CardHeader
        title={
          <>
            Your plan: <span data-testid="current-plan-name">{plan.name}</span>
          </>
        }
        description={`${priceText(plan.priceCents)} · ${lifetimeText(plan.deviceLifetimeDays)}`}
        actions={
          <ButtonLink href="/devices" size="sm">
            Devices
          </ButtonLink>
        }
      />
      <CardBody className="grid gap-6 md:grid-cols-2">
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-slate-700 dark:text-slate-300">Devices</h3>
          <p className="text-sm">
            <span className="text-lg font-semibold tabular-nums" data-testid="plan-devices">
              {devicesUsed} of {plan.deviceLimit}
            </span>{" "}
            devices in use
          </p>
          <ProgressBar value={devicesUsed} max={plan.deviceLimit} label="Devices in use of your plan's limit" />
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {devicesUsed >= plan.deviceLimit
              ? "You are at your plan's limit: revoke a device or move to a larger plan to add another."
              : `${plan.deviceLimit - devicesUsed} more device${plan.deviceLimit - devicesUsed === 1 ? "" : "s"} can be added.`}
          </p>
        </div>
        <div className="space-y-2">
          <h3 className="text-sm font-medium text-slate-700 dark:text-slate-300">Data this month</h3>
          {plan.monthlyDataBytes === null ? (
            <p className="text-sm" data-testid="plan-data">
              <span className="text-lg font-semibold tabular-nums">{formatBytes(dataUsedBytes)}</span> used — no limit on your plan. The month
              turns on {resets}.
            </p>
          ) : (
            <>
              <p className="text-sm" data-testid="plan-data">
                <span className="text-lg font-semibold tabular-nums">{formatBytes(dataUsedBytes)}</span> of {formatBytes(plan.monthlyDataBytes)}, resets on{" "}
                {resets}
              </p>
              <ProgressBar value={dataUsedBytes} max={plan.monthlyDataBytes} label="Data used this month of your allowance" />
            </>
          )}
          {blockedUntil ? (
            <p className="text-sm font-medium text-red-700 dark:text-red-400">Your devices are paused until {dayIn(blockedUntil, timeZone)}: this month&apos;s data is used up.</p>
          ) : (
            <p className="text-xs text-slate-500 dark:text-slate-400">Months run in {timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.</p>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
