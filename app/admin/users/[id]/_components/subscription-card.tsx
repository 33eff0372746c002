import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { MetricRow } from "@/components/charts/metric";
import { formatCount, formatMoney } from "@/components/charts/format";
import type { PlanDto } from "@/lib/dal/plans";
import { ChangePlanForm } from "./change-plan-form";
import { num, text, type UserReport } from "./report";

const SUB_TONES = { active: "success", past_due: "warning", cancelled: "neutral" } as const;
const SUB_LABELS = { active: "Active", past_due: "Past due", cancelled: "Cancelled" } as const;

/** The current subscription, lifetime value, earlier subscriptions, and the plan change form. */
export function SubscriptionCard({ report, plans }: { report: UserReport; plans: PlanDto[] }) {
  const sub = report.subscription;
  const status = (text(sub?.status) ?? "") as keyof typeof SUB_LABELS;
  const renewals = sub ? num(sub.renewals) : 0;
  const earlier = report.subscriptions.slice(1);
  return (
    <Card data-testid="user-report-subscription">
      <CardHeader title="Subscription" />
      <CardBody className="space-y-4">
        {sub ? (
          <dl>
            <MetricRow id="plan" label="Plan" value={<span data-testid="user-report-plan">{text(sub.planName)}</span>} />
            <MetricRow id="subStatus" label="Status" value={<Badge tone={SUB_TONES[status] ?? "neutral"}>{SUB_LABELS[status] ?? status}</Badge>} />
            <MetricRow id="price" label="Price" value={`${formatMoney(num(sub.priceCents))}/month`} />
            <MetricRow id="started" label="Started" value={<DateTime value={text(sub.startedAt)} />} />
            <MetricRow id="renewals" label="Renewals" value={formatCount(renewals)} />
            <MetricRow id="ltv" label="Lifetime value" value={report.usage ? formatMoney(num(report.usage.lifetimeValueCents)) : "—"} />
          </dl>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">No subscription. Choosing a plan below starts one.</p>
        )}
        <ChangePlanForm userId={text(report.user.id) ?? ""} plans={plans} currentPlanId={sub && status !== "cancelled" ? text(sub.planId) : null} />
        {earlier.length ? (
          <details className="text-sm">
            <summary className="cursor-pointer font-medium">Earlier subscriptions ({earlier.length})</summary>
            <ul className="mt-2 space-y-1">
              {earlier.map((s) => (
                <li key={text(s.id)} className="flex flex-wrap gap-x-2 text-slate-700 dark:text-slate-300">
                  <span className="font-medium">{text(s.planName)}</span>
                  <span>{SUB_LABELS[text(s.status) as keyof typeof SUB_LABELS] ?? text(s.status)}</span>
                  <span>
                    from <DateTime value={text(s.startedAt)} />
                  </span>
                  {text(s.cancelledAt) ? (
                    <span>
                      to <DateTime value={text(s.cancelledAt)} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </CardBody>
    </Card>
  );
}
