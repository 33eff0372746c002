import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatCount, formatDuration } from "@/components/charts/format";
import { AreaLink, ChartCard, MIN_HISTORY, NoHistory } from "./chart-card";
import { MiniChart } from "./traffic-cards";
import type { Snapshot } from "./snapshot";

/** Tickets, abuse incidents and failed sign-ins, hour by hour: three measures, three charts with their own scales. */
export function SupportCard({ latest, history, rangeText }: { latest: Snapshot | null; history: Snapshot[]; rangeText: string }) {
  const v = (x: number | undefined) => (latest ? formatCount(x ?? 0) : "—");
  const rows = history.map((h) => ({ timestamp: h.timestamp, tickets: h.openTickets, abuse: h.abuseIncidents24h, failed: h.failedLogins24h }));
  const chart = (key: "tickets" | "abuse" | "failed", title: string, name: string, unit: string, color: 1 | 4 | 5, empty: string) => (
    <MiniChart title={title}>
      <SeriesChart
        testId={`chart-support-${key}`}
        label={title}
        type="line"
        data={rows}
        xKey="timestamp"
        xKind="hour"
        valueKind="count"
        unit={unit}
        height={160}
        series={[{ key, name, color }]}
        empty={empty}
      />
    </MiniChart>
  );
  return (
    <ChartCard
      testId="dashboard-support"
      title="Support and security"
      description={`Open tickets at each hourly snapshot, and abuse incidents and failed sign-ins in the 24 hours before it, over ${rangeText}.`}
      chart={
        history.length >= MIN_HISTORY ? (
          <div data-testid="chart-support" className="grid gap-6 sm:grid-cols-2 xl:grid-cols-3 [&>*]:min-w-0">
            {chart("tickets", "Open tickets", "Open tickets", "Tickets", 1, "No open ticket in this period.")}
            {chart("abuse", "Abuse incidents, 24 h", "Abuse incidents", "Incidents", 5, "No abuse incident in this period.")}
            {chart("failed", "Failed sign-ins, 24 h", "Failed sign-ins", "Sign-ins", 4, "No failed sign-in in this period.")}
          </div>
        ) : (
          <NoHistory />
        )
      }
      figures={
        <>
          <MetricRow id="openTickets" label="Open tickets" value={v(latest?.openTickets)} />
          <MetricRow id="ticketsResolved24h" label="Resolved, last 24 h" value={v(latest?.ticketsResolved24h)} />
          <MetricRow id="avgResolution" label="Average resolution (30 days)" value={latest?.avgResolutionSeconds != null ? formatDuration(latest.avgResolutionSeconds) : "—"} />
          <MetricRow id="abuseIncidents24h" label="Abuse incidents, 24 h" value={v(latest?.abuseIncidents24h)} />
          <MetricRow id="failedLogins24h" label="Failed sign-ins, 24 h" value={v(latest?.failedLogins24h)} />
        </>
      }
      links={
        <>
          <AreaLink href="/agent/tickets">Tickets</AreaLink>
          <AreaLink href="/admin/abuse">Abuse</AreaLink>
        </>
      }
    />
  );
}
