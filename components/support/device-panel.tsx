import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, Td, Th } from "@/components/ui/table";
import { formatBytes } from "@/components/devices/format";
import type { DeviceSnapshot } from "@/lib/support/device-snapshot";

const SERVER_TONES = { healthy: "success", degraded: "warning", offline: "danger" } as const;

/** The requester's devices: server and its health, last handshake, client endpoint, transfer. */
export function DeviceTable({ snapshot, label }: { snapshot: DeviceSnapshot; label: string }) {
  if (snapshot.devices.length === 0) return <p className="px-4 py-4 text-sm text-slate-600 sm:px-6 dark:text-slate-400">No active devices.</p>;
  return (
    <Table label={label}>
      <thead>
        <tr>
          <Th>Device</Th>
          <Th>Server</Th>
          <Th>Last handshake, from</Th>
          <Th>Sent / received</Th>
        </tr>
      </thead>
      <tbody>
        {snapshot.devices.map((d) => (
          <tr key={d.peerId} data-testid="device-row">
            <Td>
              <span className="font-medium">{d.deviceName}</span>
              <span className="block text-xs text-slate-500 dark:text-slate-400">
                {d.deviceType} · {d.ipv4}
              </span>
            </Td>
            <Td>
              <span className="block">{d.serverName}</span>
              <Badge tone={SERVER_TONES[d.serverStatus]}>{d.serverStatus}</Badge>
            </Td>
            <Td>
              <DateTime value={d.lastHandshakeAt} fallback="Never" />
              <code className="block font-mono text-xs text-slate-600 dark:text-slate-400">{d.endpoint ?? "no endpoint yet"}</code>
            </Td>
            <Td className="tabular-nums">
              {formatBytes(d.bytesSent)} / {formatBytes(d.bytesReceived)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
