import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { formatBytes, formatDuration } from "@/components/charts/format";

/** One VPN connection session, as both the user's usage page and an admin's user report show it. */
export interface ConnectionRow {
  id: string;
  deviceName: string;
  serverName: string;
  clientIp: string | null;
  startedAt: string;
  /** Null while the session is open. */
  endedAt: string | null;
  /** Time connected; for an open session, up to its last sign of life, or null when that is not known. */
  seconds: number | null;
  bytesUp: number;
  bytesDown: number;
}

/** A card with the latest connection sessions, newest first; the table scrolls sideways inside it on a phone. */
export function RecentConnections({ title, description, sessions, testId }: { title: string; description: string; sessions: ConnectionRow[]; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      {sessions.length === 0 ? (
        <EmptyState title="No connections yet" />
      ) : (
        <Table label={title}>
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
              <tr key={s.id} data-testid="connection-row">
                <Td className="font-medium">{s.deviceName}</Td>
                <Td>{s.serverName}</Td>
                <Td className="font-mono text-xs">{s.clientIp ?? "—"}</Td>
                <Td>
                  <DateTime value={s.startedAt} />
                </Td>
                <Td className="whitespace-nowrap">
                  {s.seconds === null ? null : formatDuration(s.seconds)}
                  {s.endedAt === null ? (
                    <Badge tone="success" className={s.seconds === null ? undefined : "ml-2"}>
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
