import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, doublePrecision, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, ts } from "./_columns";
import { vpnServers, wireguardPeers } from "./vpn";

/**
 * Recent dump digests per server: a push whose exact content was already
 * received within the replay window is a replay and is not counted again.
 */
export const agentPushes = pgTable(
  "agent_pushes",
  {
    serverId: text("server_id")
      .notNull()
      .references(() => vpnServers.id, { onDelete: "cascade" }),
    digest: text("digest").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.digest] }), index("agent_pushes_received_idx").on(t.receivedAt)],
);

/** The raw interface counters last seen per peer key, to turn WireGuard's running totals into deltas. */
export const peerCounters = pgTable("peer_counters", {
  publicKey: text("public_key").primaryKey(),
  serverId: text("server_id").notNull(),
  rx: bigint("rx", { mode: "number" }).notNull(),
  tx: bigint("tx", { mode: "number" }).notNull(),
  /** This key's own latest handshake: tells the new key of a rotation apart from the old one. */
  lastHandshakeAt: ts("last_handshake_at"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * A device's live figures, moved by every stats push: its transfer totals
 * (per device, so they carry across key rotations; `bytes_sent` is what the
 * device sent), its latest handshake and its client's endpoint. Apart from
 * wireguard_peers so that a push rewrites these narrow rows, on pages kept
 * half free (fillfactor 50, migration 0011) for HOT updates, instead of every
 * wide device row (docs/decisions/011). One row per device, created with it.
 */
export const peerLiveStats = pgTable("peer_live_stats", {
  peerId: text("peer_id")
    .primaryKey()
    .references(() => wireguardPeers.id, { onDelete: "cascade" }),
  bytesSent: bigint("bytes_sent", { mode: "number" }).notNull().default(0),
  bytesReceived: bigint("bytes_received", { mode: "number" }).notNull().default(0),
  lastHandshakeAt: ts("last_handshake_at"),
  endpoint: text("endpoint"),
  /** The last round trip the server measured over the tunnel (agent's ping), and when. */
  latencyMs: doublePrecision("latency_ms"),
  latencyAt: ts("latency_at"),
});

/**
 * Round trips measured by the agent, one per device and push (only devices
 * that answered). Read by account and time, like traffic samples.
 */
export const latencySamples = pgTable(
  "latency_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    peerId: text("peer_id").notNull(),
    userId: text("user_id").notNull(),
    serverId: text("server_id").notNull(),
    sampledAt: ts("sampled_at").notNull(),
    rttMs: doublePrecision("rtt_ms").notNull(),
  },
  (t) => [index("latency_samples_user_time_idx").on(t.userId, t.sampledAt), index("latency_samples_time_idx").on(t.sampledAt)],
);

/**
 * Per push and peer: the traffic since the previous push and the client's
 * address. `bytes_up` is what the device sent (the server's rx).
 */
export const trafficSamples = pgTable(
  "traffic_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    peerId: text("peer_id").notNull(),
    userId: text("user_id").notNull(),
    serverId: text("server_id").notNull(),
    sampledAt: ts("sampled_at").notNull(),
    bytesUp: bigint("bytes_up", { mode: "number" }).notNull(),
    bytesDown: bigint("bytes_down", { mode: "number" }).notNull(),
    clientIp: text("client_ip"),
  },
  (t) => [
    // Per account (usage, quotas, per-device usage grouped within an account) and
    // by time (rollups, scans, retention). No per-device index: nothing reads
    // samples by device alone, and each index costs every push (docs/decisions/009).
    index("traffic_samples_user_time_idx").on(t.userId, t.sampledAt),
    index("traffic_samples_time_idx").on(t.sampledAt),
  ],
);

/** A connection: from the handshake becoming recent to it going stale, per peer. */
export const connectionSessions = pgTable(
  "connection_sessions",
  {
    id: id(),
    peerId: text("peer_id")
      .notNull()
      .references(() => wireguardPeers.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    serverId: text("server_id").notNull(),
    clientIp: text("client_ip"),
    startedAt: ts("started_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    endedAt: ts("ended_at"),
    bytesUp: bigint("bytes_up", { mode: "number" }).notNull().default(0),
    bytesDown: bigint("bytes_down", { mode: "number" }).notNull().default(0),
    /** On another server than the user's previous session: set when the session opens, so counting switches needs no ordered pass over the history. */
    switchedServer: boolean("switched_server").notNull().default(false),
  },
  (t) => [
    uniqueIndex("connection_sessions_open_peer_key").on(t.peerId).where(sql`${t.endedAt} is null`),
    index("connection_sessions_user_start_idx").on(t.userId, t.startedAt),
    index("connection_sessions_peer_idx").on(t.peerId),
    index("connection_sessions_start_idx").on(t.startedAt),
    index("connection_sessions_server_open_idx").on(t.serverId).where(sql`${t.endedAt} is null`),
  ],
);
