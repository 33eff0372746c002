import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { HEALTHY_WITHIN_MS, serverHealth, serverLoad, type ServerHealth } from "@/lib/vpn/health";
import { formatEndpoint } from "@/lib/wireguard/config";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { recentCount } from "./recent";

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
  mtu: number;
  publicKey: string;
  capacity: number;
  activePeers: number;
  addressesUsed: number;
  agentTokenPrefix: string | null;
  lastHeartbeatAt: string | null;
  lastConfigPullAt: string | null;
  createdAt: string;
}

const serverColumns = {
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
};

/**
 * How long one count of the active peers per server serves the pages that
 * show a server's load (device page, server list API, dashboard). Counting is
 * a pass over every device; a load figure half a minute old is as good as an
 * exact one. The administrators' server list counts exactly.
 */
export const PEER_COUNTS_TTL_MS = 30_000;

async function countActivePeers(): Promise<Map<string, number>> {
  const db = await getDb();
  const list = await rows<{ server_id: string; n: number | string }>(db, sql`select server_id, count(*) as n from wireguard_peers where status = 'active' group by server_id`);
  return new Map(list.map((r) => [r.server_id, Number(r.n)]));
}

const peerCounts = recentCount(countActivePeers, PEER_COUNTS_TTL_MS);

/** Active peers per server, at most PEER_COUNTS_TTL_MS old (./recent.ts). */
export function activePeersByServer(): Promise<Map<string, number>> {
  return peerCounts.get();
}

/** Test hook: forget the counted peers. */
export function clearPeerCounts(): void {
  peerCounts.clear();
}

type ServerRow = Pick<typeof vpnServers.$inferSelect, keyof typeof serverColumns>;

/** A server row as the API shows it: endpoint, health and load worked out, ISO dates. */
function toServerDto<T extends ServerRow & { activePeers: number }>(s: T, now: Date) {
  return {
    ...s,
    endpoint: formatEndpoint(s.endpointHost, s.endpointPort),
    status: serverHealth(s.lastHeartbeatAt, now),
    load: serverLoad(s.activePeers, s.capacity),
    lastHeartbeatAt: s.lastHeartbeatAt?.toISOString() ?? null,
    lastConfigPullAt: s.lastConfigPullAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

/** Every server with exact counts of its active peers and held addresses (the administrators' list). */
async function loadServers(): Promise<AdminServerDto[]> {
  const db = await getDb();
  const list = await db
    .select({
      ...serverColumns,
      // Qualified by hand: inside a sub-query drizzle would leave a bare "id", which binds to the inner table.
      activePeers: sql<number>`(select count(*) from wireguard_peers p where p.server_id = vpn_servers.id and p.status = 'active')`.mapWith(Number),
      addressesUsed: sql<number>`(select count(*) from ip_leases l where l.server_id = vpn_servers.id and l.state = 'held')`.mapWith(Number),
    })
    .from(vpnServers)
    .orderBy(asc(vpnServers.region), asc(vpnServers.name));
  const now = new Date();
  return list.map((s) => toServerDto(s, now));
}

/** Every server with its load from the shared peer count (activePeersByServer). */
export async function loadServersWithCountedPeers() {
  const db = await getDb();
  const [list, counts] = await Promise.all([db.select(serverColumns).from(vpnServers).orderBy(asc(vpnServers.region), asc(vpnServers.name)), activePeersByServer()]);
  const now = new Date();
  return list.map((s) => toServerDto({ ...s, activePeers: counts.get(s.id) ?? 0 }, now));
}

/** Servers a user may pick for a device: the public facts only. */
export async function listServersForUser(actor: Actor): Promise<ServerDto[]> {
  if (actor.kind !== "user") throw new AppError("forbidden", "Users only");
  return (await loadServersWithCountedPeers()).map(({ id, name, region, endpoint, status, load }) => ({ id, name, region, endpoint, status, load }));
}

export async function listServersForAdmin(actor: Actor): Promise<AdminServerDto[]> {
  authorizeUser(actor, "servers.manage");
  return loadServers();
}

export async function getServerForAdmin(actor: Actor, id: string): Promise<AdminServerDto> {
  const server = (await listServersForAdmin(actor)).find((s) => s.id === id);
  if (!server) throw new AppError("not_found", "Server not found");
  return server;
}

export interface AdminServerDetailDto extends AdminServerDto {
  /** Bumped by every change to the server's config (devices added, rotated, revoked, settings). */
  configVersion: number;
  /** The newest config version the agent has confirmed applying on its interface (null: none yet). */
  appliedConfigVersion: number | null;
  revokedPeers: number;
  onlinePeers: number;
  /** Old keys of rotated devices still accepted during their grace period. */
  keysInGrace: number;
}

/** One server for its admin page: the list's figures, plus its config versions and its devices by state, in one statement. */
export async function getServerDetailForAdmin(actor: Actor, id: string): Promise<AdminServerDetailDto> {
  authorizeUser(actor, "servers.manage");
  const db = await getDb();
  const [row] = await db
    .select({
      ...serverColumns,
      configVersion: vpnServers.configVersion,
      appliedConfigVersion: vpnServers.pulledVersion,
      activePeers: sql<number>`(select count(*) from wireguard_peers p where p.server_id = vpn_servers.id and p.status = 'active')`.mapWith(Number),
      revokedPeers: sql<number>`(select count(*) from wireguard_peers p where p.server_id = vpn_servers.id and p.status = 'revoked')`.mapWith(Number),
      onlinePeers: sql<number>`(select count(*) from wireguard_peers p join peer_live_stats l on l.peer_id = p.id
                                where p.server_id = vpn_servers.id and p.status = 'active'
                                  and l.last_handshake_at >= now() - make_interval(secs => ${HEALTHY_WITHIN_MS / 1000}))`.mapWith(Number),
      addressesUsed: sql<number>`(select count(*) from ip_leases l where l.server_id = vpn_servers.id and l.state = 'held')`.mapWith(Number),
      keysInGrace: sql<number>`(select count(*) from peer_previous_keys k where k.server_id = vpn_servers.id and k.retired_at is null)`.mapWith(Number),
    })
    .from(vpnServers)
    .where(eq(vpnServers.id, id))
    .limit(1);
  if (!row) throw new AppError("not_found", "Server not found");
  return toServerDto(row, new Date());
}

export interface TrafficBucketDto {
  /** The start of the hour or UTC day, ISO. */
  at: string;
  bytesUp: number;
  bytesDown: number;
}

/**
 * A server's traffic per hour or per UTC day over the last `hours`, from the
 * agent's samples, zero-filled from the later of the range's start and the
 * server's creation or first sample (a chart never claims days before there
 * was a server to measure).
 */
export async function getServerTraffic(actor: Actor, id: string, opts: { hours: number; bucket: "hour" | "day" }): Promise<TrafficBucketDto[]> {
  authorizeUser(actor, "servers.manage");
  const hours = Math.min(Math.max(Math.round(opts.hours), 1), 24 * 90);
  const unit = opts.bucket === "day" ? "day" : "hour";
  const db = await getDb();
  const found = await rows<{ at: string; up: string | number | null; down: string | number | null }>(
    db,
    sql`with sums as (
          select date_trunc(${unit}, t.sampled_at at time zone 'UTC') as bucket, sum(t.bytes_up) as up, sum(t.bytes_down) as down
          from traffic_samples t
          where t.server_id = ${id} and t.sampled_at >= now() - make_interval(hours => ${hours})
          group by 1
        ), bounds as (
          select greatest(date_trunc(${unit}, (now() - make_interval(hours => ${hours})) at time zone 'UTC'),
                          least(date_trunc(${unit}, s.created_at at time zone 'UTC'), (select min(bucket) from sums))) as first,
                 date_trunc(${unit}, now() at time zone 'UTC') as last
          from vpn_servers s where s.id = ${id}
        )
        select to_char(g.bucket, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, s.up, s.down
        from bounds b cross join lateral generate_series(b.first, b.last, make_interval(hours => ${unit === "day" ? 24 : 1})) g(bucket)
        left join sums s on s.bucket = g.bucket
        order by g.bucket`,
  );
  return found.map((r) => ({ at: r.at, bytesUp: Number(r.up ?? 0), bytesDown: Number(r.down ?? 0) }));
}
