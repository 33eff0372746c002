import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { peerAddresses } from "@/lib/wireguard/addresses";
import { allocateHostIndexes, releaseHostIndex } from "./address-allocator";
import { findOwnedPeer } from "./peers";
import { retirePreviousKeys } from "./previous-keys";
import { toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";
import { hit } from "./rate-limit";

/** Moves per account and hour: each one takes addresses that come back only after the old server's agent has pulled. */
const MOVES_PER_HOUR = 30;

type Locked = { serverId: string; status: string; hostIndex: number; publicKey: string };

/**
 * Moves a device to another server: the same device (id, name, key, preshared
 * key, rotation schedule), new addresses from the new server's pools. In one
 * transaction, under the same locks as a rotation (the device's row, then the
 * servers' rows in id order, so concurrent moves, rotations and creates
 * cannot deadlock):
 * - the device leaves the old server's config at once: its address goes back
 *   to the old pool and both servers' config versions move on, so both
 *   agents pull again (the old one drops the key at its next sync);
 * - an old key still in a rotation's grace period is retired with it (it sat
 *   on the old server, and the device has to load a new configuration
 *   anyway): no half-rotated device is left behind;
 * - an exhausted pool on the new server is the same 409 `pool_exhausted` as
 *   on create, and nothing changes;
 * - the key stays the device's own (peer_public_keys is not touched: the
 *   key does not change).
 * Two moves of one device queue on its row: the second sees where the first
 * left it (moving to the same server again is 409).
 */
export async function movePeer(actor: UserActor, peerId: string, serverId: string): Promise<PeerDto> {
  await hit({ key: `peer-move:user:${actor.id}`, max: MOVES_PER_HOUR, windowSeconds: 3600 });
  const db = await getDb();
  const moved = await db.transaction(async (tx) => {
    // Security-critical: two statements, as in rotation's lockPeers: the second starts after the lock is
    // granted, so it reads the device as a concurrent move or rotation left it.
    const locked = await rows(tx, sql`select id from wireguard_peers where id = ${peerId} and user_id = ${actor.id} for update`);
    if (locked.length === 0) throw new AppError("not_found", "Device not found");
    const [peer] = await rows<Locked>(
      tx,
      sql`select server_id as "serverId", status, host_index as "hostIndex", public_key as "publicKey" from wireguard_peers where id = ${peerId}`,
    );
    if (peer!.status !== "active") throw new AppError("conflict", "A revoked device cannot be moved");
    if (peer!.serverId === serverId) {
      throw new AppError("conflict", "The device is already on this server", [{ path: "serverId", message: "The device is already on this server" }]);
    }
    const servers = await rows<{ id: string; ipv4Pool: string; ipv6Pool: string }>(
      tx,
      sql`select id, ipv4_pool as "ipv4Pool", ipv6_pool as "ipv6Pool" from vpn_servers where id in (${peer!.serverId}, ${serverId}) order by id for update`,
    );
    const target = servers.find((s) => s.id === serverId);
    if (!target) throw new AppError("not_found", "Server not found");
    const from = peer!.serverId;

    const retired = await retirePreviousKeys(tx, sql`peer_id = ${peerId}`, "revoked");
    await releaseHostIndex(tx, from, Number(peer!.hostIndex));
    const [hostIndex] = await allocateHostIndexes(tx, serverId, [peerId]);
    const { ipv4, ipv6 } = peerAddresses(target.ipv4Pool, target.ipv6Pool, hostIndex!);
    await tx.execute(sql`update wireguard_peers set server_id = ${serverId}, host_index = ${hostIndex!}::int, ipv4 = ${ipv4}, ipv6 = ${ipv6}, updated_at = now()
      where id = ${peerId}`);
    // What was measured on the old server does not describe the new tunnel: its session ends, its
    // handshake and round trip are forgotten (the totals stay the device's), and the new server's
    // counters for this key start from zero instead of from the old server's.
    await tx.execute(sql`update connection_sessions set ended_at = last_seen_at where peer_id = ${peerId} and ended_at is null`);
    await tx.execute(sql`update peer_live_stats set last_handshake_at = null, endpoint = null, latency_ms = null, latency_at = null where peer_id = ${peerId}`);
    await tx.execute(sql`delete from peer_counters where public_key = ${peer!.publicKey}`);
    await recordAudit(tx, actor, "peer.moved", { type: "wireguard_peer", id: peerId }, { fromServerId: from, toServerId: serverId, retiredGraceKeys: retired });
    return { from, retired };
  });
  log.info("peer.moved", { peerId, fromServerId: moved.from, toServerId: serverId });
  return toPeerDto((await findOwnedPeer(db, actor, peerId)) as PeerRow);
}
