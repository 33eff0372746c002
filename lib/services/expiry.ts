import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { vpnServers, wireguardPeers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/policy";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { deviceExpiringEmail } from "@/lib/email/templates/expiry-warning";
import { AppError } from "@/lib/errors";
import { peerColumns, toPeerDto, type PeerDto, type PeerRow } from "./peer-dto";
import { safeTimeZone, userPlanJoin } from "@/lib/dal/quota-month";

const DAY = 86_400_000;
/** The owner is emailed this long before a device expires. */
export const EXPIRY_WARNING_DAYS = 3;
/** The furthest an expiry may be set: beyond that, "never" is the honest answer. */
export const MAX_EXPIRY_DAYS = 3650;

/** Body of PATCH/POST /api/vpn/peers/:id/expiry (an extension of API.md): an ISO 8601 instant, or null for "never". */
export const PeerExpirySchema = z.object({
  expiresAt: z.iso.datetime({ offset: true, message: "Send an ISO 8601 date and time, or null" }).nullable(),
});

/** The plan's default lifetime of a new device, in days (null: devices do not expire). */
export async function planDeviceExpiryDays(db: DbOrTx, userId: string): Promise<number | null> {
  const [row] = await rows<{ days: number | null }>(
    db,
    sql`select pl.device_expiry_days as days from users u ${userPlanJoin} where u.id = ${userId}`,
  );
  return row?.days === null || row?.days === undefined ? null : Number(row.days);
}

/** Owners change their own devices; admins any device. Others get 404, never a hint that the device exists. */
function scopeOf(actor: UserActor): SQL | undefined {
  return can(actor, "peers.manage_any") ? undefined : eq(wireguardPeers.userId, actor.id);
}

async function applyExpiry(tx: DbOrTx, actor: UserActor, peerId: string, expiresAt: Date | null, now: Date, action: string): Promise<PeerRow> {
  // updated_at = now (< the new expiry) marks the change; expirePeers relies on it, see there.
  const [row] = await tx
    .update(wireguardPeers)
    .set({ expiresAt, expiryWarnedAt: null, updatedAt: now })
    .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.status, "active"), scopeOf(actor)))
    .returning(peerColumns);
  if (!row) {
    const [found] = await tx.select({ status: wireguardPeers.status }).from(wireguardPeers).where(and(eq(wireguardPeers.id, peerId), scopeOf(actor)));
    if (!found) throw new AppError("not_found", "Device not found");
    throw new AppError("gone", "This device was revoked; it cannot be re-enabled");
  }
  // Leaving or re-entering the configs changes them: agents must pull again (the ETag shortcut trusts the version).
  await tx.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(eq(vpnServers.id, row.serverId));
  await recordAudit(tx, actor, action, { type: "wireguard_peer", id: peerId }, { expiresAt: expiresAt?.toISOString() ?? null });
  return row as PeerRow;
}

/**
 * Sets (or with null clears) a device's expiry. The date must lie ahead:
 * to stop a device now, revoke it.
 */
export async function setPeerExpiry(actor: UserActor, peerId: string, expiresAt: Date | null, now: Date = new Date()): Promise<PeerDto> {
  if (expiresAt) {
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) {
      throw new AppError("validation_error", "The expiry must be in the future", [{ path: "expiresAt", message: "Choose a date and time in the future" }]);
    }
    if (expiresAt.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY) {
      throw new AppError("validation_error", "The expiry is too far ahead", [{ path: "expiresAt", message: "Choose a date within ten years, or no expiry" }]);
    }
  }
  const db = await getDb();
  const row = await db.transaction((tx) => applyExpiry(tx, actor, peerId, expiresAt, now, expiresAt ? "peer.expiry_set" : "peer.expiry_cleared"));
  return toPeerDto(row, now);
}

/**
 * "Re-enable" in one click: a device under a plan with a default lifetime
 * gets that many days again from now; otherwise its expiry is cleared.
 */
export async function renewPeer(actor: UserActor, peerId: string, now: Date = new Date()): Promise<PeerDto> {
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [peer] = await tx.select({ userId: wireguardPeers.userId }).from(wireguardPeers).where(and(eq(wireguardPeers.id, peerId), scopeOf(actor)));
    if (!peer) throw new AppError("not_found", "Device not found");
    const days = await planDeviceExpiryDays(tx, peer.userId);
    return applyExpiry(tx, actor, peerId, days ? new Date(now.getTime() + days * DAY) : null, now, "peer.renewed");
  });
  return toPeerDto(row, now);
}

/**
 * Job step: one email per device expiring within EXPIRY_WARNING_DAYS, once
 * (expiry_warned_at; a new expiry clears it). Claim and emails share one
 * transaction, so a retried step sends nothing twice.
 */
export async function warnExpiringPeers(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const at = sql`${now.toISOString()}::timestamptz`;
  const count = await db.transaction(async (tx) => {
    const due = await rows<{ email: string; device_name: string; expires_at: string | Date; time_zone: string | null }>(
      tx,
      sql`update wireguard_peers p set expiry_warned_at = ${at}
          from users u
          where u.id = p.user_id and u.status <> 'banned' and p.status = 'active' and p.expiry_warned_at is null
            and p.expires_at > ${at} and p.expires_at <= ${at} + make_interval(days => ${EXPIRY_WARNING_DAYS})
          returning u.email, p.device_name, p.expires_at, u.time_zone`,
    );
    for (const d of due) {
      await enqueueEmail(tx, d.email, deviceExpiringEmail({ deviceName: d.device_name, expiresAt: new Date(d.expires_at), timeZone: safeTimeZone(d.time_zone) }));
    }
    return due.length;
  });
  if (count) await notifyOutbox();
  return count;
}

/**
 * Job step: devices whose expiry has passed are already out of the configs
 * (config-eligibility checks expires_at), but the agents' ETag shortcut
 * trusts vpn_servers.config_version — so bump their servers, once per
 * expiry. "Not yet handled" is `updated_at < expires_at`: every change of
 * the expiry stamps updated_at before it, and handling stamps it after.
 */
export async function expirePeers(now: Date = new Date()): Promise<{ expired: number; servers: number }> {
  const db = await getDb();
  const at = sql`${now.toISOString()}::timestamptz`;
  const [r] = await rows<{ expired: number; servers: number }>(
    db,
    sql`with due as (
          update wireguard_peers p set updated_at = ${at}
          where p.status = 'active' and p.expires_at <= ${at} and p.updated_at < p.expires_at
          returning p.id, p.server_id, p.user_id, p.expires_at
        ), bump as (
          update vpn_servers s set config_version = s.config_version + 1 where s.id in (select server_id from due) returning s.id
        ), audit as (
          insert into audit_log (actor_kind, action, target_type, target_id, metadata)
          select 'system', 'peer.expired', 'wireguard_peer', d.id, jsonb_build_object('userId', d.user_id, 'expiresAt', d.expires_at) from due d
          returning id
        )
        select (select count(*) from due)::int as expired, (select count(*) from bump)::int as servers`,
  );
  return { expired: Number(r?.expired ?? 0), servers: Number(r?.servers ?? 0) };
}
