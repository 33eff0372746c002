import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatBytes, formatCount, formatDuration, formatRate } from "@/components/charts/format";
import { AreaLink, ChartCard, MIN_HISTORY, NoHistory } from "./chart-card";
import type { Snapshot } from "./snapshot";

/** Sessions started in the trailing 24 h and connections open, hour by hour. */
export function ConnectionsCard({ latest, history }: { latest: Snapshot | null; history: Snapshot[] }) {
  return (
    <ChartCard
      testId="dashboard-connections"
      title="Connections"
      description="Hourly snapshots over the last 7 days (UTC)."
      chart={
        history.length >= MIN_HISTORY ? (
          <SeriesChart
            testId="chart-connections"
            label="Connections over time"
            type="line"
            data={history.map((h) => ({ timestamp: h.timestamp, total: h.totalConnections, active: h.activeConnections }))}
            xKey="timestamp"
            xKind="hour"
            valueKind="count"
            series={[
              { key: "total", name: "Sessions in 24 h", color: 1 },
              { key: "active", name: "Connected now", color: 3 },
            ]}
          />
        ) : (
          <NoHistory />
        )
      }
      figures={
        <>
          <MetricRow id="activeConnections" label="Connected now" value={latest ? formatCount(latest.activeConnections) : "—"} />
          <MetricRow id="totalConnections" label="Sessions, last 24 h" value={latest ? formatCount(latest.totalConnections) : "—"} />
          <MetricRow id="avgSession" label="Average session" value={latest ? formatDuration(latest.avgSessionSeconds) : "—"} />
          <div className="pt-3">
            <AreaLink href="/admin/peers">Peers</AreaLink>
          </div>
        </>
      }
    />
  );
}

/** Average and peak throughput, hour by hour; the 24 h volume beside. */
export function BandwidthCard({ latest, history }: { latest: Snapshot | null; history: Snapshot[] }) {
  return (
    <ChartCard
      testId="dashboard-bandwidth"
      title="Bandwidth"
      description="Throughput over the trailing 24 hours at each hourly snapshot: the average, and the busiest hour."
      chart={
        history.length >= MIN_HISTORY ? (
          <SeriesChart
            testId="chart-bandwidth"
            label="Throughput over time"
            type="area"
            data={history.map((h) => ({ timestamp: h.timestamp, peak: h.peakThroughputBps, avg: h.avgThroughputBps }))}
            xKey="timestamp"
            xKind="hour"
            valueKind="rate"
            series={[
              { key: "peak", name: "Peak hour", color: 2 },
              { key: "avg", name: "Average", color: 1 },
            ]}
          />
        ) : (
          <NoHistory />
        )
      }
      figures={
        <>
          <MetricRow id="bandwidth24h" label="Data, last 24 h" value={latest ? formatBytes(latest.bandwidth24hBytes) : "—"} />
          <MetricRow id="avgThroughput" label="Average throughput" value={latest ? formatRate(latest.avgThroughputBps) : "—"} />
          <MetricRow id="peakThroughput" label="Peak hour" value={latest ? formatRate(latest.peakThroughputBps) : "—"} />
        </>
      }
    />
  );
}
