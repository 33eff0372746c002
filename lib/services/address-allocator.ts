import { and, eq, sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { ipLeases, vpnServers } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Hands out a host index of a server's pools (the same index in its IPv4 and
 * IPv6 pool) without scanning the pool: a released address whose release the
 * agent has already pulled is reused first, otherwise the server's counter
 * advances. The server row is locked for the transaction, so concurrent
 * creates on one server queue up here; the (server_id, host_index) primary
 * key of ip_leases is the database's guarantee on top. Bumps the server's
 * config version: the caller is adding a peer to its config.
 */
export async function allocateHostIndex(tx: DbOrTx, serverId: string, peerId: string): Promise<number> {
  const [server] = await tx
    .select({ next: vpnServers.nextHostIndex, capacity: vpnServers.capacity, pulled: vpnServers.pulledVersion })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId))
    .for("update");
  if (!server) throw new AppError("not_found", "Server not found");

  const reused = await rows<{ host_index: number }>(
    tx,
    sql`update ip_leases set state = 'held', peer_id = ${peerId}, released_version = null, updated_at = now()
        where server_id = ${serverId} and host_index = (
          select host_index from ip_leases
          where server_id = ${serverId} and state = 'released'
            and (${server.pulled}::bigint is null or released_version <= ${server.pulled}::bigint)
          order by released_version, host_index limit 1 for update skip locked)
        returning host_index`,
  );
  if (reused[0]) {
    await tx.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(eq(vpnServers.id, serverId));
    return Number(reused[0].host_index);
  }
  if (server.next >= server.capacity) {
    throw new AppError("pool_exhausted", "This server has no free addresses left; choose another server");
  }
  await tx
    .update(vpnServers)
    .set({ nextHostIndex: sql`${vpnServers.nextHostIndex} + 1`, configVersion: sql`${vpnServers.configVersion} + 1` })
    .where(eq(vpnServers.id, serverId));
  await tx.insert(ipLeases).values({ serverId, hostIndex: server.next, peerId });
  return server.next;
}

/**
 * Returns a peer's addresses to the pool. They become reusable once the
 * agent has pulled a config version at or past this one (the peer is then
 * gone from the live interface), so a new device never shares an address
 * with a key the server still routes to.
 */
export async function releaseHostIndex(tx: DbOrTx, serverId: string, hostIndex: number): Promise<void> {
  const [server] = await tx
    .update(vpnServers)
    .set({ configVersion: sql`${vpnServers.configVersion} + 1` })
    .where(eq(vpnServers.id, serverId))
    .returning({ version: vpnServers.configVersion });
  if (!server) return;
  await tx
    .update(ipLeases)
    .set({ state: "released", peerId: null, releasedVersion: server.version, updatedAt: new Date() })
    .where(and(eq(ipLeases.serverId, serverId), eq(ipLeases.hostIndex, hostIndex)));
}
