import type { ServerHealth } from "@/lib/vpn/health";

/**
 * What support needs to diagnose a connection problem: each active device of
 * the requester with its server's health, last handshake, client endpoint and
 * transfer. Never a key.
 */
export interface DeviceSnapshotItem {
  peerId: string;
  deviceName: string;
  deviceType: string;
  ipv4: string;
  serverId: string;
  serverName: string;
  serverRegion: string;
  serverStatus: ServerHealth;
  serverLastHeartbeatAt: string | null;
  lastHandshakeAt: string | null;
  endpoint: string | null;
  bytesSent: number;
  bytesReceived: number;
}

export interface DeviceSnapshot {
  takenAt: string;
  devices: DeviceSnapshotItem[];
}

/** The snapshot stored in a ticket's metadata, if it is a well-formed one. */
export function snapshotFromMetadata(metadata: Record<string, unknown> | null | undefined): DeviceSnapshot | null {
  const s = metadata?.deviceSnapshot as DeviceSnapshot | undefined;
  return s && typeof s.takenAt === "string" && Array.isArray(s.devices) ? s : null;
}
