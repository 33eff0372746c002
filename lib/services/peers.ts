import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { users, vpnServers, wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import type { UserActor } from "@/lib/auth/actor";
import type { CreatePeer } from "@/lib/validation/vpn";
import { allocateHostIndex, releaseHostIndex } from "./address-allocator";
import { deviceLimitFor } from "./device-limit";
import { planDeviceExpiryDays } from "./expiry";
import { retirePreviousKeys } from "./rotation";
import { peerColumns, toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";

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
 */
export async function createPeer(actor: UserActor, input: CreatePeer): Promise<PeerDto> {
  const env = getEnv();
  const db = await getDb();
  const keys = input.publicKey ? null : generateKeyPair();
  const publicKey = input.publicKey ?? keys!.publicKey;
  const presharedKey = generatePresharedKey();
  try {
    const row = await db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update");
      const [server] = await tx
        .select({ id: vpnServers.id, ipv4Pool: vpnServers.ipv4Pool, ipv6Pool: vpnServers.ipv6Pool })
        .from(vpnServers)
        .where(eq(vpnServers.id, input.serverId));
      if (!server) throw new AppError("not_found", "Server not found");

      const [{ active, sameName }] = await tx
        .select({
          active: sql<number>`count(*)`.mapWith(Number),
          sameName: sql<number>`count(*) filter (where lower(${wireguardPeers.deviceName}) = lower(${input.deviceName}))`.mapWith(Number),
        })
        .from(wireguardPeers)
        .where(and(eq(wireguardPeers.userId, actor.id), eq(wireguardPeers.status, "active")));
      if (sameName > 0) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
      const limit = await deviceLimitFor(tx, actor.id);
      if (active >= limit) throw new AppError("device_limit_reached", `Your plan allows ${limit} devices; revoke one or upgrade your plan`);

      const peerId = crypto.randomUUID();
      const hostIndex = await allocateHostIndex(tx, server.id, peerId);
      const { ipv4, ipv6 } = peerAddresses(server.ipv4Pool, server.ipv6Pool, hostIndex);
      const now = new Date();
      const expiryDays = await planDeviceExpiryDays(tx, actor.id);
      const [created] = await tx
        .insert(wireguardPeers)
        .values({
          id: peerId,
          userId: actor.id,
          serverId: server.id,
          deviceName: input.deviceName,
          deviceType: input.deviceType,
          publicKey,
          privateKeySealed: keys ? seal(keys.privateKey) : null,
          presharedKeySealed: seal(presharedKey),
          hostIndex,
          ipv4,
          ipv6,
          rotationIntervalDays: env.DEFAULT_KEY_ROTATION_DAYS,
          lastKeyRotationAt: now,
          nextKeyRotationAt: new Date(now.getTime() + env.DEFAULT_KEY_ROTATION_DAYS * DAY),
          expiresAt: expiryDays ? new Date(now.getTime() + expiryDays * DAY) : null,
        })
        .returning(peerColumns);
      await recordAudit(tx, actor, "peer.created", { type: "wireguard_peer", id: peerId }, { serverId: server.id, byok: !keys });
      return created as PeerRow;
    });
    return toPeerDto(row);
  } catch (err) {
    if (isUniqueViolation(err, "wireguard_peers_public_key_key")) throw new AppError("conflict", "This public key is already registered", [{ path: "publicKey", message: "This public key is already in use" }]);
    if (isUniqueViolation(err, "wireguard_peers_user_name_key")) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
    throw err;
  }
}

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
