import type { DuePeer } from "@/lib/dal/peer-stats";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { relativeTime } from "@/components/ui/relative-time";

type DueState = "overdue" | "due" | "due_soon";

const DUE_BADGES = {
  overdue: { label: "Overdue", tone: "danger" },
  due: { label: "Due", tone: "warning" },
  due_soon: { label: "Due soon", tone: "info" },
} as const satisfies Record<DueState, { label: string; tone: string }>;

function dueState(p: DuePeer, now: number): DueState {
  if (p.overdue) return "overdue";
  return Date.parse(p.nextKeyRotationAt) <= now ? "due" : "due_soon";
}

/** Devices whose key is due within 7 days, due, or overdue (due more than 7 days ago), most overdue first. */
export function DuePeersTable({ peers, now }: { peers: DuePeer[]; now: number }) {
  return (
    <Table label="Devices due for key rotation">
      <thead>
        <tr>
          <Th>Device</Th>
          <Th>Owner</Th>
          <Th>Server</Th>
          <Th>Rotation due</Th>
          <Th>Status</Th>
        </tr>
      </thead>
      <tbody>
        {peers.map((p) => {
          const state = dueState(p, now);
          const badge = DUE_BADGES[state];
          return (
            <tr key={p.id} data-testid="due-peer-row" data-state={state}>
              <Td className="font-medium">
                <span className="block max-w-48 truncate" title={p.deviceName}>
                  {p.deviceName}
                </span>
              </Td>
              <Td>
                <span className="block max-w-56 truncate" title={p.userEmail}>
                  {p.userEmail}
                </span>
              </Td>
              <Td>
                <span className="block max-w-40 truncate" title={p.serverName}>
                  {p.serverName}
                </span>
              </Td>
              <Td>
                <div className="whitespace-nowrap">{relativeTime(p.nextKeyRotationAt, now)}</div>
                <div className="text-xs text-slate-500 dark:text-slate-400">
                  <DateTime value={p.nextKeyRotationAt} />
                </div>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  <Badge tone={badge.tone}>{badge.label}</Badge>
                  {p.bringYourOwnKey ? (
                    <span title="Bring your own key: not rotated by the server; the owner is emailed a reminder">
                      <Badge tone="neutral">BYOK</Badge>
                    </span>
                  ) : null}
                </div>
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
