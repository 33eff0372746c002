import type { ReactNode } from "react";
import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatBytes, formatCount, formatDuration, formatRate } from "@/components/charts/format";
import { AreaLink, ChartCard, MIN_HISTORY, NoHistory } from "./chart-card";
import type { Snapshot } from "./snapshot";

/** A small chart with its own heading and its own axis: one measure each, never two magnitudes on one scale. */
export function MiniChart({ title, children }: { title: string; children: ReactNode }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">{title}</figcaption>
      {children}
    </figure>
  );
}

/**
 * Devices connected at each snapshot, and sessions started in the 24 hours
 * before it: two charts, because "1 connected" beside "39 sessions" on one
 * axis flattens the first into the floor.
 */
export function ConnectionsCard({ latest, history, rangeText }: { latest: Snapshot | null; history: Snapshot[]; rangeText: string }) {
  const rows = history.map((h) => ({ timestamp: h.timestamp, total: h.totalConnections, active: h.activeConnections }));
  return (
    <ChartCard
      testId="dashboard-connections"
      title="Connections"
      description={`Hourly snapshots over ${rangeText}.`}
      chart={
        history.length >= MIN_HISTORY ? (
          <div className="grid gap-6 sm:grid-cols-2 [&>*]:min-w-0">
            <MiniChart title="Connected at each snapshot">
              <SeriesChart
                testId="chart-connected-now"
                label="Devices connected at each snapshot"
                type="line"
                data={rows}
                xKey="timestamp"
                xKind="hour"
                valueKind="count"
                unit="Devices connected"
                height={200}
                series={[{ key: "active", name: "Connected", color: 3 }]}
                empty="No device was connected at any snapshot in this period."
              />
            </MiniChart>
            <MiniChart title="Sessions in the 24 hours before each snapshot">
              <SeriesChart
                testId="chart-connections"
                label="Sessions started in the 24 hours before each snapshot"
                type="line"
                data={rows}
                xKey="timestamp"
                xKind="hour"
                valueKind="count"
                unit="Sessions"
                height={200}
                series={[{ key: "total", name: "Sessions in 24 h", color: 1 }]}
                empty="No session started in this period."
              />
            </MiniChart>
          </div>
        ) : (
          <NoHistory />
        )
      }
      figures={
        <>
          <MetricRow id="activeConnections" label="Connected now" value={latest ? formatCount(latest.activeConnections) : "—"} />
          <MetricRow id="totalConnections" label="Sessions, last 24 h" value={latest ? formatCount(latest.totalConnections) : "—"} />
          <MetricRow id="avgSession" label="Average session" value={latest ? formatDuration(latest.avgSessionSeconds) : "—"} />
        </>
      }
      links={<AreaLink href="/admin/peers">Peers</AreaLink>}
    />
  );
}

/** Average and peak throughput (one unit, one axis), hour by hour; the 24 h volume beside. */
export function BandwidthCard({ latest, history, rangeText }: { latest: Snapshot | null; history: Snapshot[]; rangeText: string }) {
  return (
    <ChartCard
      testId="dashboard-bandwidth"
      title="Bandwidth"
      description={`Throughput over the 24 hours before each hourly snapshot, over ${rangeText}: the average, and the busiest hour.`}
      chart={
        history.length >= MIN_HISTORY ? (
          <SeriesChart
            testId="chart-bandwidth"
            label="Throughput over time"
            type="line"
            data={history.map((h) => ({ timestamp: h.timestamp, peak: h.peakThroughputBps, avg: h.avgThroughputBps }))}
            xKey="timestamp"
            xKind="hour"
            valueKind="rate"
            series={[
              { key: "peak", name: "Peak hour", color: 2 },
              { key: "avg", name: "Average", color: 1 },
            ]}
            empty="No traffic in this period."
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
