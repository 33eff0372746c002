import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { MetricRow } from "@/components/charts/metric";
import { formatCount } from "@/components/charts/format";
import { num, type UserReport } from "./report";

const HEALTH = {
  good: { label: "Good", tone: "success" },
  attention: { label: "Needs attention", tone: "warning" },
  at_risk: { label: "At risk", tone: "danger" },
} as const;

/** The report's verdict (good / attention / at risk), the reasons for it, and the counts behind it. */
export function AccountHealth({ health }: { health: UserReport["accountHealth"] }) {
  const verdict = HEALTH[health.status as keyof typeof HEALTH] ?? HEALTH.attention;
  // The counts are spread into the object from a loosely typed row.
  const counts = health as unknown as Record<string, unknown>;
  return (
    <Card data-testid="user-report-health">
      <CardHeader
        title="Account health"
        actions={
          <span data-testid="account-health" data-status={health.status}>
            <Badge tone={verdict.tone}>{verdict.label}</Badge>
          </span>
        }
      />
      <CardBody className="space-y-3">
        {health.flags.length ? (
          <ul className="list-disc space-y-1 pl-5 text-sm" aria-label="Flags">
            {health.flags.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing to flag.</p>
        )}
        <dl>
          <MetricRow
            label={
              <Link href="#abuse-history" className="underline underline-offset-2">
                Open abuse incidents
              </Link>
            }
            value={`${formatCount(num(counts.openIncidents))} of ${formatCount(num(counts.totalIncidents))}`}
          />
          <MetricRow label="Failed sign-ins, 30 days" value={formatCount(num(counts.failedLogins30d))} />
          <MetricRow label="Active devices" value={formatCount(num(counts.activeDevices))} />
          <MetricRow label="Open tickets" value={formatCount(num(counts.openTickets))} />
        </dl>
      </CardBody>
    </Card>
  );
}
