import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { shareLinks, wireguardPeers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { hashToken } from "@/lib/crypto/tokens";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sharedPeerConfig, type PeerConfig } from "./peer-config";
import { enforce, LIMITS } from "./rate-limit";

/** A link works for this long, and once. */
export const SHARE_LINK_TTL_MINUTES = 15;
/** 128 random bits, base64url without padding: 22 characters. */
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface ShareLinkDto {
  url: string;
  expiresAt: string;
}

export interface ShareLinkPreview {
  deviceName: string;
  expiresAt: string;
}

export interface SharedConfig extends PeerConfig {
  deviceName: string;
}

/** The database clock decides expiry, so every app instance agrees; tests pass their own instant. */
const clock = (now?: Date) => (now ? sql`${now.toISOString()}::timestamptz` : sql`now()`);
const iso = (v: unknown) => new Date(v as string).toISOString();

const USED = "This link was already used. Links work once: ask for a new one on the Devices page.";
const EXPIRED = `This link has expired. Links work for ${SHARE_LINK_TTL_MINUTES} minutes: ask for a new one on the Devices page.`;
const UNKNOWN = "This link does not exist.";

/**
 * "Send to my phone": a one-time link to the config of one of the caller's
 * devices. Only the token's SHA-256 is stored; the token itself exists only
 * in the answer. A bring-your-own-key device cannot be shared: the server
 * does not have its private key.
 */
export async function createShareLink(actor: UserActor, peerId: string, now?: Date): Promise<ShareLinkDto> {
  const db = await getDb();
  const token = randomBytes(16).toString("base64url");
  const link = await db.transaction(async (tx) => {
    const [peer] = await tx
      .select({ status: wireguardPeers.status, byok: sql<boolean>`(${wireguardPeers.privateKeySealed} is null)` })
      .from(wireguardPeers)
      .where(and(eq(wireguardPeers.id, peerId), eq(wireguardPeers.userId, actor.id)));
    if (!peer) throw new AppError("not_found", "Device not found");
    if (peer.status !== "active") throw new AppError("gone", "This device was revoked; its configuration no longer works");
    if (peer.byok) {
      throw new AppError("conflict", "This device keeps its private key on the device, so SecureWave cannot send its configuration");
    }
    await enforce(LIMITS.shareLink(actor.id), tx);
    const [created] = await tx
      .insert(shareLinks)
      .values({ peerId, userId: actor.id, tokenHash: hashToken(token), expiresAt: sql`${clock(now)} + make_interval(mins => ${SHARE_LINK_TTL_MINUTES})` })
      .returning({ id: shareLinks.id, expiresAt: shareLinks.expiresAt });
    await recordAudit(tx, actor, "share_link.created", { type: "share_link", id: created.id }, { peerId, expiresAt: created.expiresAt.toISOString() });
    return created;
  });
  return { url: `${getEnv().APP_URL.replace(/\/+$/, "")}/share/${token}`, expiresAt: link.expiresAt.toISOString() };
}

type LinkRow = { id: string; peer_id: string; user_id: string; used: boolean; expired: boolean; device_name: string; peer_status: string; expires_at: unknown };

async function findLink(token: string, now?: Date): Promise<LinkRow | null> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return null;
  const db = await getDb();
  const [row] = await rows<LinkRow>(
    db,
    sql`select l.id, l.peer_id, l.user_id, l.used_at is not null as used, l.expires_at <= ${clock(now)} as expired,
          l.expires_at, p.device_name, p.status as peer_status
        from share_links l join wireguard_peers p on p.id = l.peer_id
        where l.token_hash = ${hashToken(token)}`,
  );
  return row ?? null;
}

/** Why a link cannot be used (410 for used or expired, 404 for unknown); an expired hit is audited. */
async function refuse(link: LinkRow | null, ip: string | null): Promise<never> {
  if (!link) throw new AppError("not_found", UNKNOWN);
  if (link.used) throw new AppError("gone", USED);
  if (link.expired) {
    const db = await getDb();
    await recordAudit(db, null, "share_link.expired", { type: "share_link", id: link.id }, { peerId: link.peer_id, userId: link.user_id }, ip);
    throw new AppError("gone", EXPIRED);
  }
  throw new AppError("gone", "This device was revoked; its configuration no longer works");
}

/**
 * GET of a link: says whether it can be revealed, and never uses it up, so a
 * mail or chat app that previews links cannot burn it.
 */
export async function previewShareLink(token: string, meta: { ip: string | null }, now?: Date): Promise<ShareLinkPreview> {
  const link = await findLink(token, now);
  if (!link || link.used || link.expired || link.peer_status !== "active") return refuse(link, meta.ip);
  return { deviceName: link.device_name, expiresAt: iso(link.expires_at) };
}

/**
 * Security-critical. POST of a link: uses it up and answers the config, in
 * one transaction. The single conditional UPDATE is what makes a link work
 * once: of concurrent redemptions, exactly one matches `used_at is null`.
 */
export async function redeemShareLink(token: string, meta: { ip: string | null }, now?: Date): Promise<SharedConfig> {
  if (!SHARE_TOKEN_PATTERN.test(token)) throw new AppError("not_found", UNKNOWN);
  const db = await getDb();
  const redeemed = await db.transaction(async (tx) => {
    const [used] = await rows<{ id: string; peer_id: string; user_id: string }>(
      tx,
      sql`update share_links set used_at = ${clock(now)}, used_ip = ${meta.ip}
          where token_hash = ${hashToken(token)} and used_at is null and expires_at > ${clock(now)}
          returning id, peer_id, user_id`,
    );
    if (!used) return null;
    const config = await sharedPeerConfig(tx, used.peer_id);
    if (config.bringYourOwnKey) throw new AppError("conflict", "This device keeps its private key on the device, so its configuration cannot be sent");
    const [peer] = await tx.select({ deviceName: wireguardPeers.deviceName }).from(wireguardPeers).where(eq(wireguardPeers.id, used.peer_id));
    await recordAudit(tx, null, "share_link.used", { type: "share_link", id: used.id }, { peerId: used.peer_id, userId: used.user_id }, meta.ip);
    return { ...config, deviceName: peer!.deviceName };
  });
  if (!redeemed) return refuse(await findLink(token, now), meta.ip);
  return redeemed;
}
