import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { auditLog, peerPreviousKeys } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { keyRotatedEmailFast } from "@/lib/email/templates/rotation";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { allocateHostIndexes, releaseHostIndexes } from "./address-allocator";
import { findOwnedPeer } from "./peers";
import { PUBLIC_KEY_CONSTRAINTS, publicKeyInUse } from "./peer-keys";
import { toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";

const DAY = 86_400_000;

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
  /** An earlier rotation's old key is still in grace. */
  pending: boolean;
};

/**
 * Locks the peers matching `where` (a condition on `p`, wireguard_peers), in
 * id order so concurrent lockers cannot deadlock, then reads them.
 *
 * Security-critical: two statements on purpose. Under READ COMMITTED a
 * locking statement that waited for another rotation re-reads the locked row
 * itself, but everything else in it (joins, subqueries such as "an old key
 * is still in grace") stays as it was when the statement began. The second
 * statement starts after the lock is granted, so it sees every rotation that
 * committed before: N parallel rotations end like N sequential ones.
 */
async function lockPeers(tx: DbOrTx, where: SQL): Promise<Locked[]> {
  const locked = await rows<{ id: string }>(tx, sql`select p.id from wireguard_peers p where ${where} order by p.id for update of p`);
  if (locked.length === 0) return [];
  const list = await rows<Locked>(
    tx,
    sql`select p.id, p.user_id as "userId", u.email as "userEmail", p.server_id as "serverId", p.device_name as "deviceName",
          p.status, p.private_key_sealed is null as byok, p.public_key as "publicKey", p.preshared_key_sealed as "presharedKeySealed",
          p.host_index as "hostIndex", p.ipv4, p.ipv6, p.key_version as "keyVersion", p.rotation_interval_days as "rotationIntervalDays",
          s.ipv4_pool as "ipv4Pool", s.ipv6_pool as "ipv6Pool",
          exists (select 1 from peer_previous_keys k where k.peer_id = p.id and k.retired_at is null) as pending
        from wireguard_peers p join vpn_servers s on s.id = p.server_id join users u on u.id = p.user_id
        where p.id in (select jsonb_array_elements_text(${JSON.stringify(locked.map((r) => r.id))}::jsonb))
        order by p.id`,
  );
  return list.map((r) => ({ ...r, hostIndex: Number(r.hostIndex), keyVersion: Number(r.keyVersion), rotationIntervalDays: Number(r.rotationIntervalDays) }));
}

/**
 * Rotates locked devices inside the caller's transaction, set-based (a
 * fixed number of statements per server, whatever the number of devices):
 * new keys and new addresses (WireGuard routes by address, so two keys
 * cannot share one); the old key stays in the server config for the grace
 * period unless a previous rotation is still pending, in which case the
 * unused pending key is replaced and the oldest, working key keeps its
 * grace. `newPublicKeys` holds the keys sent for bring-your-own-key devices.
 */
export async function rotateLockedPeers(tx: DbOrTx, peers: Locked[], actor: Actor, now: Date, newPublicKeys: Map<string, string> = new Map()): Promise<void> {
  if (peers.length === 0) return;
  const env = getEnv();
  const graceUntil = new Date(now.getTime() + env.KEY_ROTATION_GRACE_DAYS * DAY);
  const plan = peers.map((peer) => {
    const own = newPublicKeys.get(peer.id);
    const keys = own ? null : generateKeyPair();
    return {
      peer,
      publicKey: own ?? keys!.publicKey,
      privateKeySealed: keys ? seal(keys.privateKey) : null,
      presharedKeySealed: seal(generatePresharedKey()),
      keepOld: !peer.pending && env.KEY_ROTATION_GRACE_DAYS > 0,
      hostIndex: 0,
      ipv4: "",
      ipv6: "",
    };
  });
  // Per server, in id order (the lock order): an unused pending key's address goes back first, then new ones are taken.
  const servers = [...new Set(plan.map((x) => x.peer.serverId))].sort();
  for (const serverId of servers) {
    const items = plan.filter((x) => x.peer.serverId === serverId);
    await releaseHostIndexes(tx, serverId, items.filter((x) => !x.keepOld).map((x) => x.peer.hostIndex));
    const indexes = await allocateHostIndexes(tx, serverId, items.map((x) => x.peer.id));
    items.forEach((x, i) => Object.assign(x, { hostIndex: indexes[i]! }, peerAddresses(x.peer.ipv4Pool, x.peer.ipv6Pool, indexes[i]!)));
  }
  const kept = plan.filter((x) => x.keepOld);
  if (kept.length > 0) {
    await tx.insert(peerPreviousKeys).values(
      kept.map(({ peer }) => ({
        publicKey: peer.publicKey,
        peerId: peer.id,
        serverId: peer.serverId,
        presharedKeySealed: peer.presharedKeySealed,
        hostIndex: peer.hostIndex,
        ipv4: peer.ipv4,
        ipv6: peer.ipv6,
        keyVersion: peer.keyVersion,
        graceUntil,
      })),
    );
  }
  const updates = JSON.stringify(
    plan.map((x) => ({
      id: x.peer.id,
      pk: x.publicKey,
      priv: x.privateKeySealed,
      psk: x.presharedKeySealed,
      h: x.hostIndex,
      v4: x.ipv4,
      v6: x.ipv6,
      next: new Date(now.getTime() + x.peer.rotationIntervalDays * DAY).toISOString(),
    })),
  );
  await tx.execute(sql`
    update wireguard_peers p set public_key = v.pk, private_key_sealed = v.priv, preshared_key_sealed = v.psk,
      host_index = v.h, ipv4 = v.v4, ipv6 = v.v6, key_version = p.key_version + 1,
      last_key_rotation_at = ${now.toISOString()}::timestamptz, next_key_rotation_at = v.next,
      rotation_reminded_at = null, updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${updates}::jsonb) as v(id text, pk text, priv text, psk text, h int, v4 text, v6 text, next timestamptz)
    where p.id = v.id`);
  // One email per rotated device whose old key keeps working: rendered once per shape of name, sent pipelined.
  const mailed = plan.filter((x) => !x.peer.byok && x.keepOld);
  const emails = await Promise.all(mailed.map((x) => keyRotatedEmailFast({ deviceName: x.peer.deviceName, graceUntil })));
  await Promise.all(mailed.map((x, i) => enqueueEmail(tx, x.peer.userEmail, emails[i]!)));
  // recordAudit's rows, one per device, in one statement.
  await tx.insert(auditLog).values(
    plan.map(({ peer }) => ({
      actorId: actor.kind === "user" ? actor.id : actor.kind === "agent" ? actor.serverId : null,
      actorKind: actor.kind,
      action: "peer.key_rotated",
      targetType: "wireguard_peer",
      targetId: peer.id,
      metadata: { keyVersion: peer.keyVersion + 1, byok: peer.byok },
    })),
  );
}

/** "Rotate now" from the device page or the API. Bring-your-own-key devices must send their new public key. */
export async function rotatePeer(actor: UserActor, peerId: string, opts: { publicKey?: string } = {}): Promise<PeerDto> {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (tx) => {
    const [peer] = await lockPeers(tx, sql`p.id = ${peerId} and p.user_id = ${actor.id}`);
    if (!peer) throw new AppError("not_found", "Device not found");
    if (peer.status !== "active") throw new AppError("conflict", "A revoked device cannot be rotated");
    if (peer.byok && !opts.publicKey) {
      throw new AppError("validation_error", "This device keeps its private key: send its new public key", [{ path: "publicKey", message: "Required for a device that keeps its private key" }]);
    }
    if (!peer.byok && opts.publicKey) {
      throw new AppError("validation_error", "This device's keys are generated by SecureWave: rotate without a public key", [{ path: "publicKey", message: "Not accepted for this device" }]);
    }
    await rotateLockedPeers(tx, [peer], actor, now, opts.publicKey ? new Map([[peer.id, opts.publicKey]]) : undefined);
  }).catch((err) => {
    // The database decides: a key held (now or before) by any device fails the update (peer_public_keys).
    if (isUniqueViolation(err, ...PUBLIC_KEY_CONSTRAINTS)) throw publicKeyInUse();
    throw err;
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
 * fully rotated or untouched. The lock re-checks that each peer is still due
 * (a retried step, a second run, a concurrent rotation), so nothing is
 * rotated twice; the rest is set-based (rotateLockedPeers).
 */
export async function rotateBatch(ids: string[], now: Date): Promise<{ rotated: number; skipped: number }> {
  const db = await getDb();
  const actor = { kind: "system", job: "rotation" } as const;
  const result = await db.transaction(async (tx) => {
    const due = await lockPeers(
      tx,
      sql`p.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) and p.status = 'active'
        and p.private_key_sealed is not null and p.next_key_rotation_at <= ${now.toISOString()}::timestamptz`,
    );
    await rotateLockedPeers(tx, due, actor, now);
    return { rotated: due.length, skipped: ids.length - due.length };
  });
  await notifyOutbox();
  return result;
}
