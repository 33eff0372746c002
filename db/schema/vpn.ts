import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts, updatedAt } from "./_columns";
import { users } from "./users";

export const vpnServers = pgTable(
  "vpn_servers",
  {
    id: id(),
    name: text("name").notNull(),
    region: text("region").notNull(),
    endpointHost: text("endpoint_host").notNull(),
    endpointPort: integer("endpoint_port").notNull().default(51820),
    ipv4Pool: text("ipv4_pool").notNull(),
    ipv6Pool: text("ipv6_pool").notNull(),
    dns: text("dns").notNull().default(""),
    /** The tunnel MTU of every client config and of the server's interface (wg-quick's default). */
    mtu: integer("mtu").notNull().default(1420),
    publicKey: text("public_key").notNull(),
    privateKeySealed: text("private_key_sealed").notNull(),
    agentTokenHash: text("agent_token_hash"),
    agentTokenPrefix: text("agent_token_prefix"),
    /** Peer addresses handed out so far by the counter; released ones are reused first. */
    nextHostIndex: integer("next_host_index").notNull().default(0),
    capacity: integer("capacity").notNull(),
    /** Bumped by every change that alters the server's config: the cheap ETag check. */
    configVersion: bigint("config_version", { mode: "number" }).notNull().default(1),
    configEtag: text("config_etag"),
    configEtagVersion: bigint("config_etag_version", { mode: "number" }),
    /** The highest config version the agent has pulled: addresses released before it are free again. */
    pulledVersion: bigint("pulled_version", { mode: "number" }),
    lastConfigPullAt: ts("last_config_pull_at"),
    lastHeartbeatAt: ts("last_heartbeat_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("vpn_servers_name_key").on(sql`lower(${t.name})`), uniqueIndex("vpn_servers_public_key_key").on(t.publicKey)],
);

export const DEVICE_TYPES = ["ios", "android", "windows", "macos", "linux", "other"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export const PEER_STATUSES = ["active", "revoked"] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

export const wireguardPeers = pgTable(
  "wireguard_peers",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    serverId: text("server_id")
      .notNull()
      .references(() => vpnServers.id),
    deviceName: text("device_name").notNull(),
    deviceType: text("device_type").$type<DeviceType>().notNull(),
    publicKey: text("public_key").notNull(),
    /** Null for bring-your-own-key devices: the private key never reached us. */
    privateKeySealed: text("private_key_sealed"),
    presharedKeySealed: text("preshared_key_sealed").notNull(),
    hostIndex: integer("host_index").notNull(),
    ipv4: text("ipv4").notNull(),
    ipv6: text("ipv6").notNull(),
    status: text("status").$type<PeerStatus>().notNull().default("active"),
    keyVersion: integer("key_version").notNull().default(1),
    rotationIntervalDays: integer("rotation_interval_days").notNull(),
    lastKeyRotationAt: ts("last_key_rotation_at"),
    nextKeyRotationAt: ts("next_key_rotation_at").notNull(),
    // Transfer totals, latest handshake and client endpoint: in peer_live_stats (db/schema/telemetry.ts).
    revokedAt: ts("revoked_at"),
    /** After this instant the device leaves the server configs (set by the user, an admin or the plan). */
    expiresAt: ts("expires_at"),
    expiryWarnedAt: ts("expiry_warned_at"),
    /** Bring-your-own-key devices are reminded, not rotated: when the last reminder went out. */
    rotationRemindedAt: ts("rotation_reminded_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("wireguard_peers_user_idx").on(t.userId),
    index("wireguard_peers_server_idx").on(t.serverId),
    uniqueIndex("wireguard_peers_public_key_key").on(t.publicKey),
    index("wireguard_peers_user_server_idx").on(t.userId, t.serverId),
    // The admin device search: prefixes of name, key and addresses, and the list's order (docs/decisions/015-admin-peer-search.md).
    index("wireguard_peers_name_prefix_idx").on(sql`lower(${t.deviceName}) text_pattern_ops`),
    index("wireguard_peers_key_prefix_idx").on(sql`${t.publicKey} text_pattern_ops`),
    index("wireguard_peers_ipv4_prefix_idx").on(sql`${t.ipv4} text_pattern_ops`),
    index("wireguard_peers_ipv6_prefix_idx").on(sql`${t.ipv6} text_pattern_ops`),
    index("wireguard_peers_created_idx").on(t.createdAt, t.id),
    index("wireguard_peers_next_rotation_idx").on(t.nextKeyRotationAt).where(sql`${t.status} = 'active'`),
    uniqueIndex("wireguard_peers_user_name_key").on(t.userId, sql`lower(${t.deviceName})`).where(sql`${t.status} = 'active'`),
    check("wireguard_peers_status_check", sql`${t.status} in ('active','revoked')`),
    check("wireguard_peers_device_type_check", sql`${t.deviceType} in ('ios','android','windows','macos','linux','other')`),
  ],
);

/**
 * The address truth: one row per handed-out host index of a server (the same
 * index in its IPv4 and IPv6 pools). The primary key makes two holders of one
 * address impossible, whatever the interleaving of concurrent creates.
 * Released rows are reused once the agent has pulled a config without them.
 */
export const ipLeases = pgTable(
  "ip_leases",
  {
    serverId: text("server_id")
      .notNull()
      .references(() => vpnServers.id, { onDelete: "cascade" }),
    hostIndex: integer("host_index").notNull(),
    peerId: text("peer_id"),
    state: text("state").$type<"held" | "released">().notNull().default("held"),
    releasedVersion: bigint("released_version", { mode: "number" }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.serverId, t.hostIndex] }),
    index("ip_leases_released_idx").on(t.serverId, t.releasedVersion).where(sql`${t.state} = 'released'`),
    index("ip_leases_peer_idx").on(t.peerId),
  ],
);

/**
 * A device's old key during a rotation: it stays in the server config with
 * its old addresses until the grace period ends or the new key's first
 * handshake is seen, so a phone that has not scanned the new QR code yet is
 * never cut off. Then it is retired and its addresses are released.
 */
export const peerPreviousKeys = pgTable(
  "peer_previous_keys",
  {
    publicKey: text("public_key").primaryKey(),
    peerId: text("peer_id")
      .notNull()
      .references(() => wireguardPeers.id, { onDelete: "cascade" }),
    serverId: text("server_id").notNull(),
    presharedKeySealed: text("preshared_key_sealed").notNull(),
    hostIndex: integer("host_index").notNull(),
    ipv4: text("ipv4").notNull(),
    ipv6: text("ipv6").notNull(),
    keyVersion: integer("key_version").notNull(),
    graceUntil: ts("grace_until").notNull(),
    retiredAt: ts("retired_at"),
    retiredReason: text("retired_reason").$type<"handshake" | "grace_expired" | "revoked">(),
    createdAt: createdAt(),
  },
  (t) => [
    index("peer_previous_keys_peer_idx").on(t.peerId),
    index("peer_previous_keys_grace_idx").on(t.graceUntil).where(sql`${t.retiredAt} is null`),
    index("peer_previous_keys_server_idx").on(t.serverId).where(sql`${t.retiredAt} is null`),
  ],
);

/**
 * Every public key a device holds or has held (its current key and its old
 * keys, in grace or retired), filled by triggers on wireguard_peers (see
 * migration 0014): the primary key makes one public key belong to one device
 * only, whichever table it sits in and whatever the interleaving of
 * concurrent creates and rotations. Deleting the device frees its keys.
 */
export const peerPublicKeys = pgTable(
  "peer_public_keys",
  {
    publicKey: text("public_key").primaryKey(),
    peerId: text("peer_id")
      .notNull()
      .references(() => wireguardPeers.id, { onDelete: "cascade" }),
  },
  (t) => [index("peer_public_keys_peer_idx").on(t.peerId)],
);

/**
 * "Send to my phone": a one-time link to a device's config. Only the SHA-256
 * of its 128-bit token is stored; it works once, for 15 minutes.
 */
export const shareLinks = pgTable(
  "share_links",
  {
    id: id(),
    peerId: text("peer_id")
      .notNull()
      .references(() => wireguardPeers.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    usedIp: text("used_ip"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("share_links_token_key").on(t.tokenHash), index("share_links_peer_idx").on(t.peerId)],
);
