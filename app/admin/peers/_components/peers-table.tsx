import Link from "next/link";
import type { AdminPeerDto } from "@/lib/dal/admin-peers";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";

function PeerStatus({ p }: { p: AdminPeerDto }) {
  if (p.status === "revoked") return <Badge tone="neutral">Revoked</Badge>;
  return p.online ? <Badge tone="success">Online</Badge> : <Badge tone="info">Active</Badge>;
}

const link = "text-sky-700 underline underline-offset-2 dark:text-sky-400";

/**
 * Devices with their owner, server, addresses, key, status and last
 * handshake. The key is cut to its start (the whole key is in its title and
 * in the CSV export); `showServer` is off on a server's own page.
 */
export function PeersTable({ peers, now, showServer = true, label = "Devices" }: { peers: AdminPeerDto[]; now: number; showServer?: boolean; label?: string }) {
  return (
    <Table label={label} fixed>
      <thead>
        <tr>
          <Th className="w-[18%]">Device</Th>
          <Th className="w-[22%]">Owner</Th>
          {showServer ? <Th className="w-[11%]">Server</Th> : null}
          <Th className="w-[14%]">Addresses</Th>
          <Th className="w-[12%]">Public key</Th>
          <Th className="w-[9%]">Status</Th>
          <Th className="w-[14%]">Last handshake</Th>
        </tr>
      </thead>
      <tbody>
        {peers.map((p) => (
          <tr key={p.id} data-testid="peer-row" data-peer-id={p.id} data-status={p.status} data-online={p.online || undefined}>
            <Td>
              <span className="block truncate font-medium" title={p.deviceName}>
                {p.deviceName}
              </span>
              <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{p.deviceType}</span>
            </Td>
            <Td>
              <Link href={`/admin/users/${encodeURIComponent(p.userId)}`} className={`block truncate ${link}`} title={p.ownerEmail}>
                {p.ownerEmail}
              </Link>
            </Td>
            {showServer ? (
              <Td>
                <Link href={`/admin/servers/${encodeURIComponent(p.serverId)}`} className={`block truncate ${link}`} title={p.serverName}>
                  {p.serverName}
                </Link>
              </Td>
            ) : null}
            <Td>
              <code className="block truncate font-mono text-xs" title={p.ipv4}>{p.ipv4}</code>
              <code className="block truncate font-mono text-xs text-slate-600 dark:text-slate-400" title={p.ipv6}>{p.ipv6}</code>
            </Td>
            <Td>
              <code className="block truncate font-mono text-xs" title={p.publicKey} data-public-key={p.publicKey}>
                {p.publicKey.slice(0, 12)}…
              </code>
            </Td>
            <Td>
              <PeerStatus p={p} />
            </Td>
            <Td>
              <RelativeTime value={p.lastHandshakeAt} now={now} fallback="Never" />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
