import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { formatBytes, formatDuration } from "@/components/charts/format";
import { num, text, type UserReport } from "./report";

/** The account's last 20 connection sessions. */
export function RecentConnections({ sessions }: { sessions: UserReport["recentConnections"] }) {
  return (
    <Card data-testid="user-report-connections">
      <CardHeader title="Recent connections" description="The last 20 sessions, newest first. Times are UTC." />
      {sessions.length === 0 ? (
        <EmptyState title="No connections yet" />
      ) : (
        <Table label="Recent connections">
          <thead>
            <tr>
              <Th>Device</Th>
              <Th>Server</Th>
              <Th>Client IP</Th>
              <Th>Started</Th>
              <Th>Duration</Th>
              <Th className="text-right">Download</Th>
              <Th className="text-right">Upload</Th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => {
              const started = text(s.startedAt);
              const ended = text(s.endedAt);
              const seconds = started && ended ? (Date.parse(ended) - Date.parse(started)) / 1000 : null;
              return (
                <tr key={text(s.id)}>
                  <Td className="font-medium">{text(s.deviceName)}</Td>
                  <Td>{text(s.serverName)}</Td>
                  <Td className="font-mono text-xs">{text(s.clientIp) ?? "—"}</Td>
                  <Td>
                    <DateTime value={started} />
                  </Td>
                  <Td className="whitespace-nowrap">{seconds === null ? <Badge tone="success">Connected</Badge> : formatDuration(seconds)}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(num(s.bytesDown))}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(num(s.bytesUp))}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
