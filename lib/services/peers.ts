import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { PUBLIC_KEY_CONSTRAINTS, publicKeyInUse } from "./peer-keys";
import { wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { recordAudit } from "@/lib/audit";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import type { UserActor } from "@/lib/auth/actor";
import type { CreatePeer, UpdatePeer } from "@/lib/validation/vpn";
import { allocationCtes, releaseHostIndex } from "./address-allocator";
import { pipelinedTransaction, statement } from "@/db/pipelined-transaction";
import { userPlanJoin } from "@/lib/dal/quota-month";
import { retirePreviousKeys } from "./previous-keys";
import { requireVerifiedEmail } from "./email-verification";
import { decodeCursor, encodeCursor, timestampKey } from "@/lib/dal/keyset-cursor";
import { peerColumns, peerRowFrom, peerSelectList, toPeerDto, type PeerDto, type PeerPage, type PeerRow } from "./peer-dto";

const DAY = 86_400_000;


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
 * Hence: keys are made and sealed before the transaction, which is two
 * statements sent in one round trip (db/pipelined-transaction):
 * the user's row lock, then one statement that checks, allocates, inserts
 * and audits. The server row is locked by that last statement only until
 * the commit right behind it (docs/decisions/006).
 */
export async function createPeer(actor: UserActor, input: CreatePeer): Promise<PeerDto> {
  await requireVerifiedEmail(actor); // SIGNUP_MODE=verify: 403 email_not_verified until the address is confirmed
  const env = getEnv();
  const keys = input.publicKey ? null : generateKeyPair();
  const now = new Date();
  const [, [result]] = await pipelinedTransaction([
    lockUser({ userId: actor.id }),
    createStatement({
      userId: actor.id,
      serverId: input.serverId,
      peerId: crypto.randomUUID(),
      deviceName: input.deviceName,
      deviceType: input.deviceType,
      publicKey: input.publicKey ?? keys!.publicKey,
      privateKeySealed: keys ? seal(keys.privateKey) : null,
      presharedKeySealed: seal(generatePresharedKey()),
      rotationDays: env.DEFAULT_KEY_ROTATION_DAYS,
      defaultLimit: env.DEFAULT_DEVICE_LIMIT,
      now: now.toISOString(),
      nextRotation: new Date(now.getTime() + env.DEFAULT_KEY_ROTATION_DAYS * DAY).toISOString(),
      audit: JSON.stringify({ serverId: input.serverId, byok: !keys }),
    }),
  ]).catch((err) => {
    if (isUniqueViolation(err, ...PUBLIC_KEY_CONSTRAINTS)) throw publicKeyInUse();
    if (isUniqueViolation(err, "wireguard_peers_user_name_key")) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
    throw err;
  });
  const r = result as (Record<string, unknown> & CreateChecks) | undefined;
  if (r?.accountDeleted) throw new AppError("unauthenticated", "This account was deleted");
  if (r?.accountInactive) throw accountSuspended();
  if (!r || !r.serverFound) throw new AppError("not_found", "Server not found");
  if (Number(r.sameName) > 0) throw new AppError("duplicate_name", `You already have a device named "${input.deviceName}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
  const limit = Number(r.deviceLimit);
  if (Number(r.active) >= limit) throw new AppError("device_limit_reached", `Your plan allows ${limit} devices; revoke one or upgrade your plan`);
  if (r.id == null) throw new AppError("pool_exhausted", "This server has no free addresses left; choose another server");
  // lib/wireguard/addresses defines a host index's addresses; tests/vpn/address-sql.test.ts pins
  // PostgreSQL's inet arithmetic to it. A disagreement here would be a bug worth shouting about.
  const expected = peerAddresses(r.ipv4Pool!, r.ipv6Pool!, Number(r.hostIndex));
  if (expected.ipv4 !== r.ipv4 || expected.ipv6 !== r.ipv6) log.error("address arithmetic mismatch", { peerId: r.id, hostIndex: r.hostIndex, expected, got: { ipv4: r.ipv4, ipv6: r.ipv6 } });
  return toPeerDto(peerRowFrom(r));
}

/** A suspended account keeps its devices out of every server config, so it adds none (PRODUCT: cannot connect). */
const accountSuspended = () =>
  new AppError("forbidden", "Your account is suspended, so it cannot add devices. Contact support if you think this is a mistake.");

const lockUser = statement<"userId">((p) => sql`select 1 from users where id = ${p.userId} for update`);

/**
 * The device limit (the live subscription's plan, else the
 * default plan, else DEFAULT_DEVICE_LIMIT) and default lifetime (as
 * planDeviceExpiryDays) come from the shared userPlanJoin. The counts run in
 * a statement that starts after the user's lock is granted, so every
 * committed device of this user is seen. Writes nothing unless every check
 * passes; the audit row is written with the device.
 */
const createStatement = statement<
  "userId" | "serverId" | "peerId" | "deviceName" | "deviceType" | "publicKey" | "privateKeySealed" | "presharedKeySealed" | "rotationDays" | "defaultLimit" | "now" | "nextRotation" | "audit"
>((p) => {
  const checks = sql`checks as (
      select exists (select 1 from vpn_servers where id = ${p.serverId}) as server_found,
        (select count(*)::int from wireguard_peers where user_id = ${p.userId} and status = 'active') as active,
        (select count(*)::int from wireguard_peers where user_id = ${p.userId} and status = 'active'
          and lower(device_name) = lower(${p.deviceName})) as same_name,
        coalesce(pl.device_limit, ${p.defaultLimit}::int) as device_limit,
        pl.device_expiry_days as expiry_days,
        u.deleted_at is not null as account_deleted,
        u.status <> 'active' as account_inactive
      from users u ${userPlanJoin} where u.id = ${p.userId}
    )`;
  const gate = sql`exists (select 1 from checks where server_found and same_name = 0 and active < device_limit and not account_deleted and not account_inactive)`;
  return sql`with ${checks}, ${allocationCtes(p.serverId, p.peerId, gate)},
    created as (
      insert into wireguard_peers (id, user_id, server_id, device_name, device_type, public_key, private_key_sealed,
        preshared_key_sealed, host_index, ipv4, ipv6, rotation_interval_days, last_key_rotation_at, next_key_rotation_at, expires_at)
      select ${p.peerId}, ${p.userId}, ${p.serverId}, ${p.deviceName}, ${p.deviceType}, ${p.publicKey}, ${p.privateKeySealed},
        ${p.presharedKeySealed}, a.host_index, a.ipv4, a.ipv6, ${p.rotationDays}::int, ${p.now}::timestamptz, ${p.nextRotation}::timestamptz,
        case when c.expiry_days > 0 then ${p.now}::timestamptz + make_interval(secs => c.expiry_days * 86400) end
      from alloc a, checks c
      returning ${peerSelectList}, ${wireguardPeers.hostIndex} as "hostIndex"
    ), live as (
      -- Its live figures' row (zero bytes, never connected), which every stats push then only updates.
      insert into peer_live_stats (peer_id) select id from created
    ), audited as (
      -- recordAudit's row for a user actor.
      insert into audit_log (actor_id, actor_kind, action, target_type, target_id, metadata)
      select ${p.userId}, 'user', 'peer.created', 'wireguard_peer', id, ${p.audit}::jsonb from created
    )
    select c.server_found as "serverFound", c.same_name as "sameName", c.active, c.device_limit as "deviceLimit", c.account_deleted as "accountDeleted", c.account_inactive as "accountInactive",
      (select ipv4_pool from alloc) as "ipv4Pool", (select ipv6_pool from alloc) as "ipv6Pool", created.*
    from checks c left join created on true`;
});

type CreateChecks = {
  serverFound: boolean | null;
  /** The account was deleted while this create waited for its lock. */
  accountDeleted: boolean | null;
  /** Suspended (or banned) when the lock was granted: its devices are out of every server config. */
  accountInactive: boolean | null;
  sameName: number;
  active: number;
  deviceLimit: number;
  ipv4Pool: string | null;
  ipv6Pool: string | null;
  hostIndex: number | null;
  id: string | null;
  ipv4: string | null;
  ipv6: string | null;
};

export const PEER_PAGE_DEFAULT = 50;
export const PEER_PAGE_MAX = 200;

/**
 * The owner's devices, active first, each group oldest first, keyset-paginated
 * on (revoked, created_at, id): a device created or revoked between two pages
 * moves, but none is repeated or skipped among those that stay.
 */
export async function listPeers(actor: UserActor, opts: { limit?: number; cursor?: string | null } = {}): Promise<PeerPage> {
  const limit = Math.min(Math.max(opts.limit ?? PEER_PAGE_DEFAULT, 1), PEER_PAGE_MAX);
  const revoked = sql<number>`(${wireguardPeers.status} <> 'active')::int`;
  const key = timestampKey(sql`${wireguardPeers.createdAt}`);
  const after = opts.cursor ? decodeCursor(opts.cursor, ["flag", "time", "id"] as const) : null;
  const db = await getDb();
  const [list, [counts]] = await Promise.all([
    db
      .select({ ...peerColumns, revokedRank: revoked, key })
      .from(wireguardPeers)
      .where(
        and(
          eq(wireguardPeers.userId, actor.id),
          after ? sql`(${revoked}, ${wireguardPeers.createdAt}, ${wireguardPeers.id}) > (${Number(after[0])}, ${after[1]}::timestamptz, ${after[2]})` : undefined,
        ),
      )
      .orderBy(revoked, asc(wireguardPeers.createdAt), asc(wireguardPeers.id))
      .limit(limit + 1),
    db
      .select({
        active: sql<number>`count(*) filter (where ${wireguardPeers.status} = 'active')`.mapWith(Number),
        revoked: sql<number>`count(*) filter (where ${wireguardPeers.status} <> 'active')`.mapWith(Number),
      })
      .from(wireguardPeers)
      .where(eq(wireguardPeers.userId, actor.id)),
  ]);
  const now = new Date();
  const page = list.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toPeerDto(r as unknown as PeerRow, now)),
    nextCursor: list.length > limit && last ? encodeCursor([Number(last.revokedRank), last.key, last.id]) : null,
    activeCount: counts?.active ?? 0,
    revokedCount: counts?.revoked ?? 0,
  };
}

export async function getPeer(actor: UserActor, peerId: string): Promise<PeerDto> {
  const db = await getDb();
  return toPeerDto(await findOwnedPeer(db, actor, peerId));
}

/**
 * The owner's own settings of a device: its name (unique among the owner's
 * active devices, as on create) and its key rotation interval, within
 * ROTATION_INTERVAL_MIN_DAYS..MAX_DAYS. A new interval counts from the last
 * rotation (or the creation): the next rotation moves to that + interval,
 * which may be due at once.
 */
export async function updatePeer(actor: UserActor, peerId: string, input: UpdatePeer): Promise<PeerDto> {
  const env = getEnv();
  const days = input.rotationIntervalDays;
  if (days !== undefined && (days < env.ROTATION_INTERVAL_MIN_DAYS || days > env.ROTATION_INTERVAL_MAX_DAYS)) {
    const message = `Rotation interval must be ${env.ROTATION_INTERVAL_MIN_DAYS}-${env.ROTATION_INTERVAL_MAX_DAYS} days`;
    throw new AppError("validation_error", message, [{ path: "rotationIntervalDays", message }]);
  }
  const duplicate = (name: string) =>
    new AppError("duplicate_name", `You already have a device named "${name}"`, [{ path: "deviceName", message: "You already have a device with this name" }]);
  const db = await getDb();
  const row = await db
    .transaction(async (tx) => {
      const current = await findOwnedPeer(tx, actor, peerId);
      if (input.deviceName !== undefined && current.status === "active" && input.deviceName.toLowerCase() !== current.deviceName.toLowerCase()) {
        const [{ n }] = await tx
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(wireguardPeers)
          .where(
            and(
              eq(wireguardPeers.userId, actor.id),
              eq(wireguardPeers.status, "active"),
              sql`lower(${wireguardPeers.deviceName}) = lower(${input.deviceName})`,
              sql`${wireguardPeers.id} <> ${peerId}`,
            ),
          );
        if (n > 0) throw duplicate(input.deviceName);
      }
      if (input.deviceName === undefined && days === undefined) return current;
      const [updated] = await tx
        .update(wireguardPeers)
        .set({
          ...(input.deviceName !== undefined ? { deviceName: input.deviceName } : {}),
          ...(days !== undefined
            ? {
                rotationIntervalDays: days,
                nextKeyRotationAt: sql`coalesce(${wireguardPeers.lastKeyRotationAt}, ${wireguardPeers.createdAt}) + make_interval(days => ${days}::int)`,
              }
            : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.userId, actor.id)))
        .returning(peerColumns);
      await recordAudit(tx, actor, "peer.updated", { type: "wireguard_peer", id: peerId }, { fields: Object.keys(input) });
      return updated as PeerRow;
    })
    .catch((err) => {
      if (isUniqueViolation(err, "wireguard_peers_user_name_key")) throw duplicate(input.deviceName ?? "");
      throw err;
    });
  return toPeerDto(row);
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
