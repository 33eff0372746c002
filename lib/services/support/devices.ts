import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { peerLiveStats, vpnServers, wireguardPeers } from "@/db/schema";
import type { DeviceSnapshot } from "@/lib/support/device-snapshot";
import { serverHealth } from "@/lib/vpn/health";

/** The requester's active devices as they are now, in one joined query (lib/support/device-snapshot.ts says what it holds). */
export async function takeDeviceSnapshot(db: DbOrTx, userId: string, now: Date): Promise<DeviceSnapshot> {
  const list = await db
    .select({
      peerId: wireguardPeers.id,
      deviceName: wireguardPeers.deviceName,
      deviceType: wireguardPeers.deviceType,
      ipv4: wireguardPeers.ipv4,
      serverId: vpnServers.id,
      serverName: vpnServers.name,
      serverRegion: vpnServers.region,
      lastHeartbeatAt: vpnServers.lastHeartbeatAt,
      lastHandshakeAt: peerLiveStats.lastHandshakeAt,
      endpoint: peerLiveStats.endpoint,
      bytesSent: sql<number>`coalesce(${peerLiveStats.bytesSent}, 0)`.mapWith(Number),
      bytesReceived: sql<number>`coalesce(${peerLiveStats.bytesReceived}, 0)`.mapWith(Number),
    })
    .from(wireguardPeers)
    .innerJoin(vpnServers, eq(vpnServers.id, wireguardPeers.serverId))
    .leftJoin(peerLiveStats, eq(peerLiveStats.peerId, wireguardPeers.id))
    .where(and(eq(wireguardPeers.userId, userId), eq(wireguardPeers.status, "active")))
    .orderBy(asc(wireguardPeers.deviceName))
    .limit(50);
  return {
    takenAt: now.toISOString(),
    devices: list.map((d) => ({
      peerId: d.peerId,
      deviceName: d.deviceName,
      deviceType: d.deviceType,
      ipv4: d.ipv4,
      serverId: d.serverId,
      serverName: d.serverName,
      serverRegion: d.serverRegion,
      serverStatus: serverHealth(d.lastHeartbeatAt, now),
      serverLastHeartbeatAt: d.lastHeartbeatAt?.toISOString() ?? null,
      lastHandshakeAt: d.lastHandshakeAt?.toISOString() ?? null,
      endpoint: d.endpoint,
      bytesSent: Number(d.bytesSent),
      bytesReceived: Number(d.bytesReceived),
    })),
  };
}
