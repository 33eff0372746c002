import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { users, wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import type { UserActor } from "@/lib/auth/actor";
import type { CreatePeer } from "@/lib/validation/vpn";
import { allocationCtes, releaseHostIndex } from "./address-allocator";
import { deviceLimitFor } from "./device-limit";
import { planDeviceExpiryDays } from "./expiry";
import { retirePreviousKeys } from "./rotation";
import { peerColumns, peerRowFrom, peerSelectList, toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";

const DAY = 86_400_000;

function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = (err as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown }) ?? {};
  const inner = (e.cause as typeof e) ?? e;
  const code = e.code ?? inner.code;
  const name = e.constraint_name ?? e.constraint ?? inner.constraint_name ?? inner.constraint;
  return code === "23505" && (!constraint || name === constraint);
}

/** The owner's peer row, or 404 — also for another user's peer, whose existence is never revealed. */
export async function findOwnedPeer(db: DbOrTx, actor: UserActor, peerId: string): Promise<PeerRow> {
  const [row] = await db
    .select(peerColumns)
    .from(wireguardPeers)
    .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.userId, actor.id)))
    .limit(1);
  if (!row) throw new AppError("not_found", "Device not found");
  return row as PeerRow;
}

/**
 * Creates a device: checks the plan's device limit and the name under a lock
 * on the user's row (so parallel creates cannot overshoot), allocates its
 * addresses, generates and seals its keys — or, for bring-your-own-key,
 * stores only the public key it was given.
 *
 * Every create on a server bumps that server's row (config version, address
 * counter), so creates on one server queue for its lock until they commit.
 * The keys are made before the transaction and the server row is touched by
 * the last statement, which checks, allocates and inserts at once: the lock
 * is held for one statement and the commit (docs/decisions/005).
 */
export async function createPeer(actor: UserActor, input: CreatePeer): Promise<PeerDto> {
  const env = getEnv();
  const db = await getDb();
  const keys = input.publicKey ? null : generateKeyPair();
  const publicKey = input.publicKey ?? keys!.publicKey;
  const privateKeySealed = keys ? seal(keys.privateKey) : null;
  const presharedKeySealed = seal(generatePresharedKey());
  const peerId = crypto.randomUUID();
  try {
    const row = await db.transaction(async (tx) => {
      if (process.env.SW_ASYNC_COMMIT) await tx.execute(sql`set local synchronous_commit = off`);
      // Sent together (pipelined): the user's row lock first, then the plan's settings and the
      // audit entry, which commits only with the device.
      const [, limit, expiryDays] = await Promise.all([
        tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update"),
        deviceLimitFor(tx, actor.id),
        planDeviceExpiryDays(tx, actor.id),
        recordAudit(tx, actor, "peer.created", { type: "wireguard_peer", id: peerId }, { serverId: input.serverId, byok: !keys }),
      ]);
      const now = new Date();
      const expiresAt = expiryDays ? new Date(now.getTime() + expiryDays * DAY) : null;
      const nextRotation = new Date(now.getTime() + env.DEFAULT_KEY_ROTATION_DAYS * DAY);
      // Counted after the lock (a statement of its own, so with a snapshot taken after it): every
      // committed device of this user is seen.
      const gate = sql`exists (select 1 from checks where server_found and same_name = 0 and active < ${limit}::int)`;
      const [result] = await rows<Record<string, unknown> & CreateChecks>(
        tx,
        sql`with checks as (
              select exists (select 1 from vpn_servers where id = ${input.serverId}) as server_found,
                count(*)::int as active,
                count(*) filter (where lower(device_name) = lower(${input.deviceName}))::int as same_name
              from wireguard_peers where user_id = ${actor.id} and status = 'active'
            ), ${allocationCtes(input.serverId, peerId, gate)},
            created as (
              insert into wireguard_peers (id, user_id, server_id, device_name, device_type, public_key, private_key_sealed,
                preshared_key_sealed, host_index, ipv4, ipv6, rotation_interval_days, last_key_rotation_at, next_key_rotation_at, expires_at)
              select ${peerId}, ${actor.id}, ${input.serverId}, ${input.deviceName}, ${input.deviceType}, ${publicKey}, ${privateKeySealed},
                ${presharedKeySealed}, a.host_index, a.ipv4, a.ipv6, ${env.DEFAULT_KEY_ROTATION_DAYS}::int, ${now.toISOString()}::timestamptz,
                ${nextRotation.toISOString()}::timestamptz, ${expiresAt?.toISOString() ?? null}::timestamptz
              from alloc a
              returning ${peerSelectList}, ${wireguardPeers.hostIndex} as "hostIndex"
            )
            select c.server_found as "serverFound", c.same_name as "sameName", c.active,
              (select ipv4_pool from alloc) as "ipv4Pool", (select ipv6_pool from alloc) as "ipv6Pool", created.*
            from checks c left join created on true`,
      );
      if (!result || !result.serverFound) throw new AppError("not_found", "Server not found");
      if (Number(result.sameName) > 0) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
      if (Number(result.active) >= limit) throw new AppError("device_limit_reached", `Your plan allows ${limit} devices; revoke one or upgrade your plan`);
      if (result.id == null) throw new AppError("pool_exhausted", "This server has no free addresses left; choose another server");
      // lib/wireguard/addresses is the definition of a host index's addresses: refuse (and roll back) if SQL disagrees.
      const expected = peerAddresses(result.ipv4Pool!, result.ipv6Pool!, Number(result.hostIndex));
      if (expected.ipv4 !== result.ipv4 || expected.ipv6 !== result.ipv6) throw new Error(`Address arithmetic mismatch for host index ${result.hostIndex}`);
      return peerRowFrom(result);
    });
    if (process.env.SW_ASYNC_COMMIT) await db.transaction(async (tx) => { await tx.execute(sql`select pg_current_xact_id()`); });
    return toPeerDto(row);
  } catch (err) {
    if (isUniqueViolation(err, "wireguard_peers_public_key_key")) throw new AppError("conflict", "This public key is already registered", [{ path: "publicKey", message: "This public key is already in use" }]);
    if (isUniqueViolation(err, "wireguard_peers_user_name_key")) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
    throw err;
  }
}

type CreateChecks = { serverFound: boolean; sameName: number; active: number; ipv4Pool: string | null; ipv6Pool: string | null; hostIndex: number | null; id: string | null; ipv4: string | null; ipv6: string | null };

/** The user's active device of that name on that server, or a new one. */
export async function getOrCreatePeer(actor: UserActor, input: CreatePeer): Promise<{ peer: PeerDto; created: boolean }> {
  const db = await getDb();
  const [existing] = await db
    .select(peerColumns)
    .from(wireguardPeers)
    .where(
      and(
        eq(wireguardPeers.userId, actor.id),
        eq(wireguardPeers.serverId, input.serverId),
        eq(wireguardPeers.status, "active"),
        sql`lower(${wireguardPeers.deviceName}) = lower(${input.deviceName})`,
      ),
    );
  if (existing) return { peer: toPeerDto(existing as PeerRow), created: false };
  return { peer: await createPeer(actor, input), created: true };
}

export async function listPeers(actor: UserActor): Promise<PeerDto[]> {
  const db = await getDb();
  const list = await db
    .select(peerColumns)
    .from(wireguardPeers)
    .where(eq(wireguardPeers.userId, actor.id))
    .orderBy(sql`${wireguardPeers.status} = 'revoked'`, asc(wireguardPeers.createdAt));
  const now = new Date();
  return list.map((r) => toPeerDto(r as PeerRow, now));
}

export async function getPeer(actor: UserActor, peerId: string): Promise<PeerDto> {
  const db = await getDb();
  return toPeerDto(await findOwnedPeer(db, actor, peerId));
}

/** Revoke: out of the server config at once; the row stays for audit; addresses return after the agent's next pull. */
export async function revokePeer(actor: UserActor, peerId: string): Promise<PeerDto> {
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [peer] = await tx
      .update(wireguardPeers)
      .set({ status: "revoked", revokedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.userId, actor.id), eq(wireguardPeers.status, "active")))
      .returning({ ...peerColumns, hostIndex: wireguardPeers.hostIndex });
    if (!peer) {
      // Already revoked (idempotent) or not the caller's: findOwnedPeer answers 404 for the latter.
      return findOwnedPeer(tx, actor, peerId);
    }
    await releaseHostIndex(tx, peer.serverId, peer.hostIndex);
    await retirePreviousKeys(tx, sql`peer_id = ${peerId}`, "revoked");
    await recordAudit(tx, actor, "peer.revoked", { type: "wireguard_peer", id: peerId });
    return peer as PeerRow;
  });
  return toPeerDto(row);
}

/** Delete for good: revokes first when still active, then removes the row. */
export async function deletePeer(actor: UserActor, peerId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await retirePreviousKeys(tx, sql`peer_id = ${peerId} and peer_id in (select id from wireguard_peers where user_id = ${actor.id})`, "revoked");
    const [peer] = await tx
      .delete(wireguardPeers)
      .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.userId, actor.id)))
      .returning({ serverId: wireguardPeers.serverId, hostIndex: wireguardPeers.hostIndex, status: wireguardPeers.status });
    if (!peer) throw new AppError("not_found", "Device not found");
    if (peer.status === "active") await releaseHostIndex(tx, peer.serverId, peer.hostIndex);
    await recordAudit(tx, actor, "peer.deleted", { type: "wireguard_peer", id: peerId });
  });
}
