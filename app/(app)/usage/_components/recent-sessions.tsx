import type { UsagePageData } from "@/lib/dal/analytics";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { formatBytes, formatDuration } from "@/components/charts/format";

/** The last connection sessions, newest first, whatever the period. */
export function RecentSessions({ sessions }: { sessions: UsagePageData["recentSessions"] }) {
  return (
    <Card data-testid="usage-sessions">
      <CardHeader title="Last connections" description="Your most recent VPN sessions, newest first. Times are UTC." />
      {sessions.length === 0 ? (
        <EmptyState title="No connections yet" />
      ) : (
        <Table label="Last connections">
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
            {sessions.map((s) => (
              <tr key={s.id} data-testid="usage-session-row">
                <Td className="font-medium">{s.deviceName}</Td>
                <Td>{s.serverName}</Td>
                <Td className="font-mono text-xs">{s.clientIp ?? "—"}</Td>
                <Td>
                  <DateTime value={s.startedAt} />
                </Td>
                <Td className="whitespace-nowrap">
                  {formatDuration(s.seconds)}
                  {s.endedAt === null ? (
                    <Badge tone="success" className="ml-2">
                      Connected
                    </Badge>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">{formatBytes(s.bytesDown)}</Td>
                <Td className="text-right tabular-nums">{formatBytes(s.bytesUp)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
