import type { DailyDto } from "@/lib/dal/analytics";
import { SeriesChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { formatBytes, formatCount, formatDuration, formatPercent } from "@/components/charts/format";
import { DateTime } from "@/components/ui/date-time";
import { ChartCard } from "../../../_components/chart-card";
import { num, text, type UserReport } from "./report";

/** The last 30 days per day (chart) and the lifetime figures from the per-user rollup (beside it). */
export function UsageCard({ usage, daily, favoriteServer }: { usage: UserReport["usage"]; daily: DailyDto[]; favoriteServer: string | null }) {
  const connections = num(usage?.totalConnections);
  const hasDaily = daily.some((d) => d.bytesDownloaded + d.bytesUploaded + d.connectionSeconds + d.connections > 0);
  return (
    <ChartCard
      testId="user-report-usage"
      title="Usage"
      description={
        usage ? (
          <>
            Chart: the last 30 days (UTC). Figures: all time, as of <DateTime value={text(usage.updatedAt)} />.
          </>
        ) : (
          "No usage has been rolled up for this account yet."
        )
      }
      chart={
        hasDaily ? (
          <SeriesChart
            testId="user-report-chart"
            label="Data per day, last 30 days"
            type="bar"
            data={daily.map((d) => ({ date: d.date, down: d.bytesDownloaded, up: d.bytesUploaded }))}
            xKey="date"
            xKind="day"
            valueKind="bytes"
            series={[
              { key: "down", name: "Download", color: 1, stack: "data" },
              { key: "up", name: "Upload", color: 2, stack: "data" },
            ]}
          />
        ) : (
          <div className="flex h-40 items-center justify-center rounded-md border border-dashed border-slate-300 px-4 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
            No usage in the last 30 days.
          </div>
        )
      }
      figures={
        <>
          <MetricRow id="connections" label="Connections" value={usage ? formatCount(connections) : "—"} />
          <MetricRow id="time" label="Time connected" value={usage ? formatDuration(num(usage.totalConnectionSeconds)) : "—"} />
          <MetricRow
            id="data"
            label="Data"
            value={usage ? formatBytes(num(usage.totalBytesDownloaded) + num(usage.totalBytesUploaded)) : "—"}
          />
          <MetricRow id="month" label="This month" value={usage ? formatBytes(num(usage.currentMonthBytes)) : "—"} />
          <MetricRow id="favouriteServer" label="Favourite server" value={favoriteServer ?? "—"} />
          <MetricRow
            id="successRate"
            label="Connection success"
            value={usage && connections > 0 ? formatPercent(num(usage.connectionSuccessRate)) : "—"}
          />
          <MetricRow id="lastConnection" label="Last connection" value={<DateTime value={text(usage?.lastConnectionAt)} fallback="Never" />} />
        </>
      }
    />
  );
}
