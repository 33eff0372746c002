import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatCount, formatDuration } from "@/components/charts/format";
import { AreaLink, ChartCard, MIN_HISTORY, NoHistory } from "./chart-card";
import type { Snapshot } from "./snapshot";

/** Tickets, abuse incidents and failed sign-ins, hour by hour. */
export function SupportCard({ latest, history }: { latest: Snapshot | null; history: Snapshot[] }) {
  const v = (x: number | undefined) => (latest ? formatCount(x ?? 0) : "—");
  return (
    <ChartCard
      testId="dashboard-support"
      title="Support and security"
      description="Open tickets, and abuse incidents and failed sign-ins over the trailing 24 hours, at each hourly snapshot."
      chart={
        history.length >= MIN_HISTORY ? (
          <SeriesChart
            testId="chart-support"
            label="Tickets, abuse incidents and failed sign-ins over time"
            type="line"
            data={history.map((h) => ({ timestamp: h.timestamp, tickets: h.openTickets, abuse: h.abuseIncidents24h, failed: h.failedLogins24h }))}
            xKey="timestamp"
            xKind="hour"
            valueKind="count"
            series={[
              { key: "tickets", name: "Open tickets", color: 1 },
              { key: "abuse", name: "Abuse incidents (24 h)", color: 5 },
              { key: "failed", name: "Failed sign-ins (24 h)", color: 4 },
            ]}
          />
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
          <div className="flex flex-wrap gap-x-4 gap-y-1 pt-3">
            <AreaLink href="/agent/tickets">Tickets</AreaLink>
            <AreaLink href="/admin/abuse">Abuse</AreaLink>
          </div>
        </>
      }
    />
  );
}
