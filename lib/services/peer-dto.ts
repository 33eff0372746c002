import "server-only";
import { Column, is, SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { peerLiveStats, wireguardPeers } from "@/db/schema";
import type { DeviceType, PeerStatus } from "@/db/schema/vpn";
import { isoOrNull } from "@/lib/format/instant";

/**
 * One of the device's live figures (peer_live_stats), `orElse` without its
 * row. A sub-query rather than a join so that the same columns serve as a
 * RETURNING list of writes to wireguard_peers. The outer table is named by
 * hand: in a single-table query drizzle writes its columns unqualified, and a
 * bare "id" would bind to whatever inner table has one.
 */
function live<T>(column: AnyPgColumn, orElse: SQL = sql`null`): SQL<T> {
  const expr = sql`coalesce((select l.${sql.identifier(column.name)} from ${peerLiveStats} l where l.peer_id = wireguard_peers.id), ${orElse})`.mapWith(column) as SQL<T>;
  liveSource.set(expr, column);
  return expr;
}

/** Each live figure's column, whose decoding its raw value gets (peerRowFrom), as the query builder's `.mapWith(column)` does. */
const liveSource = new WeakMap<SQL, AnyPgColumn>();

/** Columns a peer answer is built from: never a private or preshared key. */
export const peerColumns = {
  id: wireguardPeers.id,
  userId: wireguardPeers.userId,
  serverId: wireguardPeers.serverId,
  deviceName: wireguardPeers.deviceName,
  deviceType: wireguardPeers.deviceType,
  publicKey: wireguardPeers.publicKey,
  ipv4: wireguardPeers.ipv4,
  ipv6: wireguardPeers.ipv6,
  status: wireguardPeers.status,
  keyVersion: wireguardPeers.keyVersion,
  rotationIntervalDays: wireguardPeers.rotationIntervalDays,
  lastKeyRotationAt: wireguardPeers.lastKeyRotationAt,
  nextKeyRotationAt: wireguardPeers.nextKeyRotationAt,
  lastHandshakeAt: live<Date | null>(peerLiveStats.lastHandshakeAt),
  endpoint: live<string | null>(peerLiveStats.endpoint),
  bytesSent: live<number>(peerLiveStats.bytesSent, sql`0`),
  bytesReceived: live<number>(peerLiveStats.bytesReceived, sql`0`),
  latencyMs: live<number | null>(peerLiveStats.latencyMs),
  latencyAt: live<Date | null>(peerLiveStats.latencyAt),
  createdAt: wireguardPeers.createdAt,
  revokedAt: wireguardPeers.revokedAt,
  expiresAt: wireguardPeers.expiresAt,
  byok: sql<boolean>`(${wireguardPeers.privateKeySealed} is null)`,
  /** The old key still accepted during a rotation's grace period, if any. */
  previousKey: sql<{ publicKey: string; graceUntil: string; ipv4: string } | null>`(
    select json_build_object('publicKey', k.public_key, 'graceUntil', k.grace_until, 'ipv4', k.ipv4)
    from peer_previous_keys k where k.peer_id = ${wireguardPeers.id} and k.retired_at is null limit 1)`,
  /**
   * The owner's throttle in force, if any (all of a user's devices share it).
   * In force means not lifted and not past `until`, whether or not the expiry
   * job has recorded the end yet. The outer table is named by hand, as in live().
   */
  throttle: sql<{ rateKbit: number; until: string } | null>`(
    select json_build_object('rateKbit', t.rate_kbit, 'until', t.until)
    from user_throttles t where t.user_id = wireguard_peers.user_id and t.lifted_at is null and t.until > now() limit 1)`,
};

/**
 * peerColumns as a select list for raw SQL over wireguard_peers (a RETURNING
 * clause of a statement written by hand), and the mapping of its result to a
 * PeerRow as the query builder would do it: one list of columns either way.
 */
export const peerSelectList: SQL = sql.join(
  Object.entries(peerColumns).map(([key, col]) => sql`${col} as ${sql.identifier(key)}`),
  sql`, `,
);

export function peerRowFrom(raw: Record<string, unknown>): PeerRow {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(peerColumns)) {
    const v = raw[key];
    const source = is(col, Column) ? col : is(col, SQL) ? liveSource.get(col) : undefined;
    out[key] = v === null || v === undefined ? null : source ? source.mapFromDriverValue(v) : v;
  }
  return out as PeerRow;
}

export type PeerRow = {
  id: string;
  userId: string;
  serverId: string;
  deviceName: string;
  deviceType: DeviceType;
  publicKey: string;
  ipv4: string;
  ipv6: string;
  status: PeerStatus;
  keyVersion: number;
  rotationIntervalDays: number;
  lastKeyRotationAt: Date | null;
  nextKeyRotationAt: Date;
  lastHandshakeAt: Date | null;
  endpoint: string | null;
  bytesSent: number;
  bytesReceived: number;
  latencyMs: number | null;
  latencyAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  byok: boolean;
  previousKey: { publicKey: string; graceUntil: string; ipv4: string } | null;
  throttle: { rateKbit: number; until: string } | null;
};

export interface PeerDto {
  id: string;
  serverId: string;
  deviceName: string;
  deviceType: DeviceType;
  publicKey: string;
  ipv4: string;
  ipv6: string;
  status: PeerStatus;
  keyVersion: number;
  rotationIntervalDays: number;
  lastKeyRotationAt: string | null;
  nextKeyRotationAt: string;
  daysSinceRotation: number;
  lastHandshakeAt: string | null;
  endpoint: string | null;
  bytesSent: number;
  bytesReceived: number;
  /** The last round trip its server measured over the tunnel, in ms (null until measured). */
  latencyMs: number | null;
  latencyMeasuredAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** After this instant the device is out of the server configs (null: never expires). */
  expiresAt: string | null;
  bringYourOwnKey: boolean;
  /** Set while a rotation's old key still works: the new configuration is ready to scan. */
  pendingRotation: { previousPublicKey: string; previousIpv4: string; graceUntil: string } | null;
  /** A temporary rate limit on the owner's devices, enforced by the servers (null: none). */
  throttle: { rateKbit: number; until: string } | null;
}

const DAY = 86_400_000;

export function toPeerDto(r: PeerRow, now: Date = new Date()): PeerDto {
  const since = r.lastKeyRotationAt ?? r.createdAt;
  return {
    id: r.id,
    serverId: r.serverId,
    deviceName: r.deviceName,
    deviceType: r.deviceType,
    publicKey: r.publicKey,
    ipv4: r.ipv4,
    ipv6: r.ipv6,
    status: r.status,
    keyVersion: r.keyVersion,
    rotationIntervalDays: r.rotationIntervalDays,
    lastKeyRotationAt: r.lastKeyRotationAt?.toISOString() ?? null,
    nextKeyRotationAt: r.nextKeyRotationAt.toISOString(),
    daysSinceRotation: Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY)),
    lastHandshakeAt: isoOrNull(r.lastHandshakeAt),
    endpoint: r.endpoint,
    bytesSent: Number(r.bytesSent),
    bytesReceived: Number(r.bytesReceived),
    latencyMs: r.latencyMs === null ? null : Math.round(Number(r.latencyMs) * 100) / 100,
    latencyMeasuredAt: isoOrNull(r.latencyAt),
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    bringYourOwnKey: !!r.byok,
    pendingRotation: r.previousKey
      ? { previousPublicKey: r.previousKey.publicKey, previousIpv4: r.previousKey.ipv4, graceUntil: isoOrNull(r.previousKey.graceUntil) ?? "" }
      : null,
    throttle: r.throttle ? { rateKbit: Number(r.throttle.rateKbit), until: isoOrNull(r.throttle.until) ?? "" } : null,
  };
}

/** One page of the owner's devices, with the counts the page's headings and allowance need. */
export interface PeerPage {
  items: PeerDto[];
  nextCursor: string | null;
  activeCount: number;
  revokedCount: number;
}
