import type { DailyDto } from "@/lib/dal/analytics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SeriesChart } from "@/components/charts/charts";
import { Metric } from "@/components/charts/metric";
import { formatBytes, formatCount, formatDuration, formatRate } from "@/components/charts/format";

/** The period's totals, then data, connection time and sessions per day (UTC days, zero-filled). */
export function DailyCharts({ daily, days }: { daily: DailyDto[]; days: number }) {
  const rows = daily.map((d) => ({ date: d.date, down: d.bytesDownloaded, up: d.bytesUploaded, seconds: d.connectionSeconds, sessions: d.connections }));
  const down = daily.reduce((s, d) => s + d.bytesDownloaded, 0);
  const up = daily.reduce((s, d) => s + d.bytesUploaded, 0);
  const seconds = daily.reduce((s, d) => s + d.connectionSeconds, 0);
  const sessions = daily.reduce((s, d) => s + d.connections, 0);
  const latencies = daily.map((d) => d.avgLatencyMs).filter((v): v is number => v !== null);
  const latency = latencies.length ? `${Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length)} ms` : null;
  const empty = down + up + seconds + sessions === 0;

  return (
    <section data-testid="usage-charts" aria-label={`Usage in the last ${days} days`} className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Metric id="data" label="Data" value={formatBytes(down + up)} hint={`${formatBytes(down)} down · ${formatBytes(up)} up`} />
        <Metric id="time" label="Connected" value={formatDuration(seconds)} hint={seconds > 0 ? `Average ${formatRate((down + up) / seconds)}` : undefined} />
        <Metric id="sessions" label="Sessions" value={formatCount(sessions)} hint={`Last ${days} days`} />
        <Metric
          id="latency"
          label="Latency"
          value={latency ?? <span className="text-base font-medium text-slate-500 dark:text-slate-400">not measured yet</span>}
          hint={latency ? "Round trip from the server, over the tunnel" : "Measured by the server while a device is connected"}
        />
      </dl>
      {empty ? <p className="text-sm text-slate-600 dark:text-slate-400">No traffic in the last {days} days.</p> : null}
      <Card>
        <CardHeader title="Data per day" description="Downloaded and uploaded through the VPN, per UTC day." />
        <CardBody>
          <SeriesChart
            testId="usage-chart-data"
            label="Data per day"
            type="bar"
            data={rows}
            xKey="date"
            xKind="day"
            valueKind="bytes"
            height={260}
            series={[
              { key: "down", name: "Download", color: 1, stack: "data" },
              { key: "up", name: "Upload", color: 2, stack: "data" },
            ]}
          />
        </CardBody>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader title="Connection time per day" description="Hours connected, all devices together." />
          <CardBody>
            <SeriesChart
              testId="usage-chart-time"
              label="Connection time per day"
              type="bar"
              data={rows}
              xKey="date"
              xKind="day"
              valueKind="duration"
              height={220}
              series={[{ key: "seconds", name: "Connected", color: 3 }]}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Sessions per day" description="Connections started each day." />
          <CardBody>
            <SeriesChart
              testId="usage-chart-sessions"
              label="Sessions per day"
              type="bar"
              data={rows}
              xKey="date"
              xKind="day"
              valueKind="count"
              height={220}
              series={[{ key: "sessions", name: "Sessions", color: 4 }]}
            />
          </CardBody>
        </Card>
      </div>
    </section>
  );
}
