import { eq, sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { peerPreviousKeys, wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { keyRotatedEmail } from "@/lib/email/templates/rotation";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { allocateHostIndex, releaseHostIndex } from "./address-allocator";
import { findOwnedPeer } from "./peers";
import { toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";

const DAY = 86_400_000;

/**
 * Retires old keys matching `where` (a condition on peer_previous_keys) and
 * returns their addresses to the pool, set-based: one statement whatever the
 * number of keys. Each touched server's config version is bumped so the
 * agent drops the keys at its next pull, after which the addresses are free.
 */
export async function retirePreviousKeys(db: DbOrTx, where: SQL, reason: "handshake" | "grace_expired" | "revoked", now: Date = new Date()): Promise<number> {
  const retired = await rows<{ n: number }>(
    db,
    sql`with retired as (
          update peer_previous_keys set retired_at = ${now.toISOString()}::timestamptz, retired_reason = ${reason}
          where retired_at is null and (${where})
          returning server_id, host_index
        ), bumped as (
          update vpn_servers s set config_version = s.config_version + 1
          from (select distinct server_id from retired) r where s.id = r.server_id
          returning s.id, s.config_version
        ), released as (
          update ip_leases l set state = 'released', peer_id = null, released_version = b.config_version, updated_at = now()
          from retired r join bumped b on b.id = r.server_id
          where l.server_id = r.server_id and l.host_index = r.host_index
          returning 1
        )
        select (select count(*) from retired)::int as n, (select count(*) from released)::int as released`,
  );
  return Number(retired[0]?.n ?? 0);
}

type Locked = {
  id: string;
  userId: string;
  userEmail: string;
  serverId: string;
  deviceName: string;
  status: string;
  byok: boolean;
  publicKey: string;
  presharedKeySealed: string;
  hostIndex: number;
  ipv4: string;
  ipv6: string;
  keyVersion: number;
  rotationIntervalDays: number;
  ipv4Pool: string;
  ipv6Pool: string;
};

async function lockPeer(tx: DbOrTx, peerId: string): Promise<Locked | undefined> {
  const [row] = await rows<Locked>(
    tx,
    sql`select p.id, p.user_id as "userId", u.email as "userEmail", p.server_id as "serverId", p.device_name as "deviceName",
          p.status, p.private_key_sealed is null as byok, p.public_key as "publicKey", p.preshared_key_sealed as "presharedKeySealed",
          p.host_index as "hostIndex", p.ipv4, p.ipv6, p.key_version as "keyVersion", p.rotation_interval_days as "rotationIntervalDays",
          s.ipv4_pool as "ipv4Pool", s.ipv6_pool as "ipv6Pool"
        from wireguard_peers p join vpn_servers s on s.id = p.server_id join users u on u.id = p.user_id
        where p.id = ${peerId} for update of p`,
  );
  return row;
}

/**
 * Rotates one device inside the caller's transaction: new keys and new
 * addresses (WireGuard routes by address, so two keys cannot share one); the
 * old key stays in the server config for the grace period unless a previous
 * rotation is still pending, in which case the unused pending key is
 * replaced and the oldest, working key keeps its grace.
 */
export async function rotatePeerInTx(tx: DbOrTx, peer: Locked, actor: Actor, newPublicKey: string | null, now: Date): Promise<void> {
  const env = getEnv();
  const keys = newPublicKey ? null : generateKeyPair();
  const publicKey = newPublicKey ?? keys!.publicKey;
  const [{ pending }] = await rows<{ pending: number }>(
    tx,
    sql`select count(*)::int as pending from peer_previous_keys where peer_id = ${peer.id} and retired_at is null`,
  );
  const graceUntil = new Date(now.getTime() + env.KEY_ROTATION_GRACE_DAYS * DAY);
  if (pending > 0 || env.KEY_ROTATION_GRACE_DAYS === 0) {
    await releaseHostIndex(tx, peer.serverId, peer.hostIndex);
  } else {
    await tx.insert(peerPreviousKeys).values({
      publicKey: peer.publicKey,
      peerId: peer.id,
      serverId: peer.serverId,
      presharedKeySealed: peer.presharedKeySealed,
      hostIndex: peer.hostIndex,
      ipv4: peer.ipv4,
      ipv6: peer.ipv6,
      keyVersion: peer.keyVersion,
      graceUntil,
    });
  }
  const hostIndex = await allocateHostIndex(tx, peer.serverId, peer.id);
  const { ipv4, ipv6 } = peerAddresses(peer.ipv4Pool, peer.ipv6Pool, hostIndex);
  await tx
    .update(wireguardPeers)
    .set({
      publicKey,
      privateKeySealed: keys ? seal(keys.privateKey) : null,
      presharedKeySealed: seal(generatePresharedKey()),
      hostIndex,
      ipv4,
      ipv6,
      keyVersion: peer.keyVersion + 1,
      lastKeyRotationAt: now,
      nextKeyRotationAt: new Date(now.getTime() + peer.rotationIntervalDays * DAY),
      rotationRemindedAt: null,
      updatedAt: now,
    })
    .where(eq(wireguardPeers.id, peer.id));
  if (!peer.byok && pending === 0 && env.KEY_ROTATION_GRACE_DAYS > 0) {
    await enqueueEmail(tx, peer.userEmail, keyRotatedEmail({ deviceName: peer.deviceName, graceUntil }));
  }
  await recordAudit(tx, actor, "peer.key_rotated", { type: "wireguard_peer", id: peer.id }, { keyVersion: peer.keyVersion + 1, byok: peer.byok });
}

/** "Rotate now" from the device page or the API. Bring-your-own-key devices must send their new public key. */
export async function rotatePeer(actor: UserActor, peerId: string, opts: { publicKey?: string } = {}): Promise<PeerDto> {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (tx) => {
    await findOwnedPeer(tx, actor, peerId);
    const peer = await lockPeer(tx, peerId);
    if (!peer) throw new AppError("not_found", "Device not found");
    if (peer.status !== "active") throw new AppError("conflict", "A revoked device cannot be rotated");
    if (peer.byok && !opts.publicKey) {
      throw new AppError("validation_error", "This device keeps its private key: send its new public key", [{ path: "publicKey", message: "Required for a device that keeps its private key" }]);
    }
    if (!peer.byok && opts.publicKey) {
      throw new AppError("validation_error", "This device's keys are generated by SecureWave: rotate without a public key", [{ path: "publicKey", message: "Not accepted for this device" }]);
    }
    if (opts.publicKey) {
      const [used] = await rows(tx, sql`select 1 from wireguard_peers where public_key = ${opts.publicKey} union all select 1 from peer_previous_keys where public_key = ${opts.publicKey} limit 1`);
      if (used) throw new AppError("conflict", "This public key is already in use", [{ path: "publicKey", message: "Generate a new key" }]);
    }
    await rotatePeerInTx(tx, peer, actor, opts.publicKey ?? null, now);
  });
  await notifyOutbox();
  return toPeerDto((await findOwnedPeer(db, actor, peerId)) as PeerRow);
}

/** Ids of server-key devices of usable accounts whose rotation is due: one query over the partial index. */
export async function findDuePeerIds(now: Date = new Date()): Promise<string[]> {
  const db = await getDb();
  const list = await rows<{ id: string }>(
    db,
    sql`select p.id from wireguard_peers p join users u on u.id = p.user_id
        where p.status = 'active' and p.next_key_rotation_at <= ${now.toISOString()}::timestamptz
          and p.private_key_sealed is not null and u.status <> 'banned'
        order by p.next_key_rotation_at, p.id`,
  );
  return list.map((r) => r.id);
}

/**
 * One batch of the daily job, in one transaction: every peer in it is either
 * fully rotated or untouched. A peer that is no longer due (a retried step,
 * a second run) is skipped, so nothing is rotated twice.
 */
export async function rotateBatch(ids: string[], now: Date): Promise<{ rotated: number; skipped: number }> {
  const db = await getDb();
  const actor = { kind: "system", job: "rotation" } as const;
  const result = await db.transaction(async (tx) => {
    let rotated = 0;
    let skipped = 0;
    for (const id of ids) {
      const peer = await lockPeer(tx, id);
      const [due] = peer
        ? await rows(tx, sql`select 1 from wireguard_peers where id = ${id} and status = 'active' and private_key_sealed is not null and next_key_rotation_at <= ${now.toISOString()}::timestamptz`)
        : [];
      if (!peer || !due) {
        skipped++;
        continue;
      }
      await rotatePeerInTx(tx, peer, actor, null, now);
      rotated++;
    }
    return { rotated, skipped };
  });
  await notifyOutbox();
  return result;
}

/** The previous key of a device whose new key has completed a handshake since the rotation is no longer needed. */
export function newKeySeenCondition(serverId: string): SQL {
  return sql`server_id = ${serverId} and peer_id in (
    select p.id from wireguard_peers p join peer_counters c on c.public_key = p.public_key
    where p.server_id = ${serverId} and c.last_handshake_at >= p.last_key_rotation_at)`;
}

export async function retireExpiredKeys(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  return retirePreviousKeys(db, sql`grace_until <= ${now.toISOString()}::timestamptz`, "grace_expired", now);
}

