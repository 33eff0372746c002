import type { UserSessionDto } from "@/lib/dal/abuse";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, Td, Th } from "@/components/ui/table";
import { formatBytes, formatSeconds } from "@/lib/abuse/format";

/** The user's latest sessions; those named in the evidence are marked. */
export function SessionsTable({ sessions, evidenceIds }: { sessions: UserSessionDto[]; evidenceIds: ReadonlySet<string> }) {
  return (
    <Table label="Recent sessions">
      <thead>
        <tr>
          <Th>Server</Th>
          <Th>Client IP</Th>
          <Th>Started</Th>
          <Th>Duration</Th>
          <Th>Uploaded</Th>
          <Th>Downloaded</Th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} data-testid="session-row">
            <Td>
              <div className="flex flex-col items-start gap-1">
                <span>{s.serverName ?? s.serverId}</span>
                {evidenceIds.has(s.id) ? <Badge tone="warning">In the evidence</Badge> : null}
              </div>
            </Td>
            <Td>
              <code className="font-mono text-xs">{s.clientIp ?? "—"}</code>
            </Td>
            <Td>
              <DateTime value={s.startedAt} />
            </Td>
            <Td>
              {formatSeconds(s.durationSeconds)}
              {s.endedAt ? null : <span className="text-xs text-emerald-700 dark:text-emerald-400"> · open</span>}
            </Td>
            <Td className="tabular-nums">{formatBytes(s.bytesUp)}</Td>
            <Td className="tabular-nums">{formatBytes(s.bytesDown)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
