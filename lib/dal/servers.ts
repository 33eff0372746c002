import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { serverHealth, serverLoad, type ServerHealth } from "@/lib/vpn/health";
import { formatEndpoint } from "@/lib/wireguard/config";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";

export interface ServerDto {
  id: string;
  name: string;
  region: string;
  endpoint: string;
  status: ServerHealth;
  load: number;
}

export interface AdminServerDto extends ServerDto {
  endpointHost: string;
  endpointPort: number;
  ipv4Pool: string;
  ipv6Pool: string;
  dns: string;
  mtu: number | null;
  publicKey: string;
  capacity: number;
  activePeers: number;
  addressesUsed: number;
  agentTokenPrefix: string | null;
  lastHeartbeatAt: string | null;
  lastConfigPullAt: string | null;
  createdAt: string;
}

async function loadServers(): Promise<AdminServerDto[]> {
  const db = await getDb();
  const list = await db
    .select({
      id: vpnServers.id,
      name: vpnServers.name,
      region: vpnServers.region,
      endpointHost: vpnServers.endpointHost,
      endpointPort: vpnServers.endpointPort,
      ipv4Pool: vpnServers.ipv4Pool,
      ipv6Pool: vpnServers.ipv6Pool,
      dns: vpnServers.dns,
      mtu: vpnServers.mtu,
      publicKey: vpnServers.publicKey,
      capacity: vpnServers.capacity,
      agentTokenPrefix: vpnServers.agentTokenPrefix,
      lastHeartbeatAt: vpnServers.lastHeartbeatAt,
      lastConfigPullAt: vpnServers.lastConfigPullAt,
      createdAt: vpnServers.createdAt,
      // Qualified by hand: inside a sub-query drizzle would leave a bare "id", which binds to the inner table.
      activePeers: sql<number>`(select count(*) from wireguard_peers p where p.server_id = vpn_servers.id and p.status = 'active')`.mapWith(Number),
      addressesUsed: sql<number>`(select count(*) from ip_leases l where l.server_id = vpn_servers.id and l.state = 'held')`.mapWith(Number),
    })
    .from(vpnServers)
    .orderBy(asc(vpnServers.region), asc(vpnServers.name));
  const now = new Date();
  return list.map((s) => ({
    ...s,
    endpoint: formatEndpoint(s.endpointHost, s.endpointPort),
    status: serverHealth(s.lastHeartbeatAt, now),
    load: serverLoad(s.activePeers, s.capacity),
    lastHeartbeatAt: s.lastHeartbeatAt?.toISOString() ?? null,
    lastConfigPullAt: s.lastConfigPullAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  }));
}

/** Servers a user may pick for a device: the public facts only. */
export async function listServersForUser(actor: Actor): Promise<ServerDto[]> {
  if (actor.kind !== "user") throw new AppError("forbidden", "Users only");
  return (await loadServers()).map(({ id, name, region, endpoint, status, load }) => ({ id, name, region, endpoint, status, load }));
}

export async function listServersForAdmin(actor: Actor): Promise<AdminServerDto[]> {
  if (actor.kind !== "user" || actor.role !== "admin") throw new AppError("forbidden", "Administrators only");
  return loadServers();
}

export async function getServerForAdmin(actor: Actor, id: string): Promise<AdminServerDto> {
  const server = (await listServersForAdmin(actor)).find((s) => s.id === id);
  if (!server) throw new AppError("not_found", "Server not found");
  return server;
}

export async function serverExists(id: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ id: vpnServers.id }).from(vpnServers).where(eq(vpnServers.id, id));
  return !!row;
}
