import type { UsagePageData } from "@/lib/dal/analytics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { SeriesChart } from "@/components/charts/charts";
import { formatBytes, formatCount } from "@/components/charts/format";

/** Data and sessions per device over the period: a small bar chart of the devices with traffic, and every device in a table. */
export function DeviceBreakdown({ devices, days }: { devices: UsagePageData["devices"]; days: number }) {
  const withData = devices.filter((d) => d.bytesDownloaded + d.bytesUploaded > 0).slice(0, 10);
  return (
    <Card data-testid="usage-devices">
      <CardHeader title="Devices" description={`Data per device in the last ${days} days.`} />
      {devices.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-600 dark:text-slate-400">You have no devices yet.</p>
        </CardBody>
      ) : (
        <>
          {withData.length > 0 ? (
            <CardBody>
              <SeriesChart
                testId="usage-chart-devices"
                label="Data per device"
                type="bar"
                horizontal
                data={withData.map((d) => ({ name: d.deviceName, down: d.bytesDownloaded, up: d.bytesUploaded }))}
                xKey="name"
                xKind="category"
                valueKind="bytes"
                height={Math.max(140, withData.length * 40 + 70)}
                series={[
                  { key: "down", name: "Download", color: 1, stack: "data" },
                  { key: "up", name: "Upload", color: 2, stack: "data" },
                ]}
              />
            </CardBody>
          ) : null}
          <Table label="Usage per device">
            <thead>
              <tr>
                <Th>Device</Th>
                <Th className="text-right">Download</Th>
                <Th className="text-right">Upload</Th>
                <Th className="text-right">Total</Th>
                <Th className="text-right">Sessions</Th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.peerId} data-testid="usage-device-row">
                  <Td className="font-medium">
                    <span className="mr-2">{d.deviceName}</span>
                    {d.status !== "active" ? <Badge tone="neutral">{d.status === "revoked" ? "Revoked" : d.status}</Badge> : null}
                  </Td>
                  <Td className="text-right tabular-nums">{formatBytes(d.bytesDownloaded)}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(d.bytesUploaded)}</Td>
                  <Td className="text-right font-medium tabular-nums">{formatBytes(d.bytesDownloaded + d.bytesUploaded)}</Td>
                  <Td className="text-right tabular-nums">{formatCount(d.sessions)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
