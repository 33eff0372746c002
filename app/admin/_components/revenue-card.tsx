import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatCount, formatMoney, formatPercent } from "@/components/charts/format";
import { Table, Td, Th } from "@/components/ui/table";
import { ChartCard } from "./chart-card";
import type { Snapshot } from "./snapshot";
import type { AdminDashboard } from "./types";

/** Monthly recurring revenue by plan (live subscriptions), with the snapshot's churn and subscription counts beside. */
export function RevenueCard({ revenue, latest }: { revenue: AdminDashboard["revenue"]; latest: Snapshot | null }) {
  const liveMrr = revenue.byPlan.reduce((s, p) => s + p.mrrCents, 0);
  return (
    <ChartCard
      testId="dashboard-revenue"
      title="Subscriptions and revenue"
      description="Monthly recurring revenue (MRR) is the monthly price of every active or past-due subscription. Churn: the share of subscriptions live 30 days ago that were cancelled since."
      chart={
        revenue.byPlan.length ? (
          <SeriesChart
            testId="chart-revenue"
            label="Monthly recurring revenue by plan"
            type="bar"
            horizontal
            data={revenue.byPlan.map((p) => ({ name: p.name, mrr: p.mrrCents }))}
            xKey="name"
            xKind="category"
            valueKind="money"
            height={Math.max(140, revenue.byPlan.length * 44 + 40)}
            series={[{ key: "mrr", name: "MRR", color: 3 }]}
            empty="No paid subscription yet: every plan's recurring revenue is $0.00."
          />
        ) : (
          <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">No plans yet.</p>
        )
      }
      figures={
        <>
          <MetricRow id="mrr" label="MRR" value={formatMoney(latest ? revenue.mrrCents : liveMrr)} />
          <MetricRow id="churn" label="Churn, 30 days" value={latest ? formatPercent(revenue.churnRate) : "—"} />
          <MetricRow id="activeSubscriptions" label="Active subscriptions" value={latest ? formatCount(latest.activeSubscriptions) : "—"} />
          <MetricRow id="totalSubscriptions" label="All subscriptions" value={latest ? formatCount(latest.totalSubscriptions) : "—"} />
        </>
      }
      footer={
        revenue.byPlan.length ? (
          <Table label="Revenue by plan" className="border-t border-slate-200 dark:border-slate-800">
            <thead>
              <tr>
                <Th>Plan</Th>
                <Th className="text-right">Active subscriptions</Th>
                <Th className="text-right">MRR</Th>
              </tr>
            </thead>
            <tbody>
              {revenue.byPlan.map((p) => (
                <tr key={p.planId}>
                  <Td className="font-medium">{p.name}</Td>
                  <Td className="text-right tabular-nums">{formatCount(p.activeSubscriptions)}</Td>
                  <Td className="text-right tabular-nums">{formatMoney(p.mrrCents)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null
      }
    />
  );
}
