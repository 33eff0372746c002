import "server-only";
import { and, eq, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { ipLeases, vpnServers } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Host indexes of a server's pools (the same index in its IPv4 and IPv6
 * pool), handed out without scanning the pool: a released address whose
 * release the agent has already pulled is reused first, otherwise the
 * server's counter advances. Two holders of one address are impossible
 * whatever the interleaving: a reused lease is claimed with FOR UPDATE SKIP
 * LOCKED and a re-check of its state, a fresh index comes from the counter
 * under the server row's lock, and the (server_id, host_index) primary key
 * of ip_leases is the database's guarantee on top (docs/decisions/001).
 * Every allocation bumps the server's config version: the caller is adding
 * a key to its config.
 */

const reusable = (serverId: string | SQLWrapper) => sql`
  select l.host_index from ip_leases l join vpn_servers s on s.id = l.server_id
  where l.server_id = ${serverId} and l.state = 'released'
    and (s.pulled_version is null or l.released_version <= s.pulled_version)
  order by l.released_version, l.host_index`;

/**
 * CTEs (to follow a `with`) that allocate one host index for `peerId` when
 * the boolean `gate` holds, ending in `alloc(host_index, ipv4, ipv6, ipv4_pool, ipv6_pool)`: no
 * row when the gate is false or the pool is exhausted. Meant to be part of
 * the LAST statement of a transaction: the server row stays locked from here
 * to the commit, so everything else should already be done (docs/decisions/006).
 * The addresses are computed by PostgreSQL's inet arithmetic; the caller
 * checks them against lib/wireguard/addresses before committing.
 */
export function allocationCtes(serverId: string | SQLWrapper, peerId: string | SQLWrapper, gate: SQL): SQL {
  return sql`reused as (
      update ip_leases set state = 'held', peer_id = ${peerId}, released_version = null, updated_at = now()
      where server_id = ${serverId} and (${gate})
        and host_index = (${reusable(serverId)} limit 1 for update of l skip locked)
      returning host_index
    ), bumped as (
      update vpn_servers
      set next_host_index = next_host_index + (case when exists (select 1 from reused) then 0 else 1 end),
        config_version = config_version + 1
      where id = ${serverId} and (${gate}) and (exists (select 1 from reused) or next_host_index < capacity)
      returning next_host_index, ipv4_pool, ipv6_pool
    ), alloc_index as (
      select coalesce((select host_index from reused), b.next_host_index - 1) as host_index, b.ipv4_pool, b.ipv6_pool,
        not exists (select 1 from reused) as fresh
      from bumped b
    ), fresh_lease as (
      insert into ip_leases (server_id, host_index, peer_id) select ${serverId}, host_index, ${peerId} from alloc_index where fresh
    ), alloc as (
      select host_index, host(ipv4_pool::inet + (2 + host_index)) as ipv4, host(ipv6_pool::inet + (2 + host_index)) as ipv6, ipv4_pool, ipv6_pool
      from alloc_index
    )`;
}

/**
 * Host indexes for several peers of one server at once (a rotation batch),
 * in the order of `peerIds`: locks the server row for the rest of the
 * caller's transaction, takes reusable leases with SKIP LOCKED, and advances
 * the counter once for the rest. One config version bump for the lot.
 */
export async function allocateHostIndexes(tx: DbOrTx, serverId: string, peerIds: string[]): Promise<number[]> {
  if (peerIds.length === 0) return [];
  const [server] = await tx
    .select({ next: vpnServers.nextHostIndex, capacity: vpnServers.capacity })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId))
    .for("update");
  if (!server) throw new AppError("not_found", "Server not found");
  const reused = (await rows<{ host_index: number }>(tx, sql`${reusable(serverId)} limit ${peerIds.length} for update of l skip locked`)).map((r) => Number(r.host_index));
  const freshCount = peerIds.length - reused.length;
  if (server.next + freshCount > server.capacity) {
    throw new AppError("pool_exhausted", "This server has no free addresses left; choose another server");
  }
  const indexes = peerIds.map((_, i) => (i < reused.length ? reused[i]! : server.next + i - reused.length));
  const pairs = JSON.stringify(peerIds.map((p, i) => ({ p, h: indexes[i], fresh: i >= reused.length })));
  await tx.execute(sql`
    with pairs as (select * from jsonb_to_recordset(${pairs}::jsonb) as x(p text, h int, fresh boolean)),
    held as (
      update ip_leases l set state = 'held', peer_id = pairs.p, released_version = null, updated_at = now()
      from pairs where not pairs.fresh and l.server_id = ${serverId} and l.host_index = pairs.h
    ), created as (
      insert into ip_leases (server_id, host_index, peer_id) select ${serverId}, h, p from pairs where fresh
    )
    update vpn_servers set next_host_index = next_host_index + ${freshCount}::int, config_version = config_version + 1
    where id = ${serverId}`);
  return indexes;
}

/**
 * Returns addresses to the pool. They become reusable once the agent has
 * pulled a config version at or past the one bumped here (the keys are then
 * gone from the live interface), so a new device never shares an address
 * with a key the server still routes to.
 */
export async function releaseHostIndexes(tx: DbOrTx, serverId: string, hostIndexes: number[]): Promise<void> {
  if (hostIndexes.length === 0) return;
  const [server] = await tx
    .update(vpnServers)
    .set({ configVersion: sql`${vpnServers.configVersion} + 1` })
    .where(eq(vpnServers.id, serverId))
    .returning({ version: vpnServers.configVersion });
  if (!server) return;
  await tx
    .update(ipLeases)
    .set({ state: "released", peerId: null, releasedVersion: server.version, updatedAt: new Date() })
    .where(and(eq(ipLeases.serverId, serverId), inArray(ipLeases.hostIndex, hostIndexes)));
}

export async function releaseHostIndex(tx: DbOrTx, serverId: string, hostIndex: number): Promise<void> {
  await releaseHostIndexes(tx, serverId, [hostIndex]);
}
