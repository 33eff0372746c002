import { sql } from "drizzle-orm";
import { bigint, date, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, ts } from "./_columns";
import { users } from "./users";

/** Lifetime and current figures per user (the seed's UserUsageStats), refreshed by the hourly rollup. */
export const userUsageStats = pgTable(
  "user_usage_stats",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    totalConnections: integer("total_connections").notNull().default(0),
    activeConnections: integer("active_connections").notNull().default(0),
    totalConnectionSeconds: bigint("total_connection_seconds", { mode: "number" }).notNull().default(0),
    avgSessionSeconds: doublePrecision("avg_session_seconds").notNull().default(0),
    lastConnectionAt: ts("last_connection_at"),
    totalBytesUploaded: bigint("total_bytes_uploaded", { mode: "number" }).notNull().default(0),
    totalBytesDownloaded: bigint("total_bytes_downloaded", { mode: "number" }).notNull().default(0),
    totalDataGb: doublePrecision("total_data_gb").notNull().default(0),
    currentMonthBytes: bigint("current_month_bytes", { mode: "number" }).notNull().default(0),
    /** Average bandwidth while connected, bytes per second. */
    avgBandwidthBps: doublePrecision("avg_bandwidth_bps").notNull().default(0),
    favoriteServerId: text("favorite_server_id"),
    uniqueServersUsed: integer("unique_servers_used").notNull().default(0),
    serverSwitchCount: integer("server_switch_count").notNull().default(0),
    /** WireGuard reports no round-trip time: null until an agent measures one. */
    avgLatencyMs: doublePrecision("avg_latency_ms"),
    avgThroughputBps: doublePrecision("avg_throughput_bps").notNull().default(0),
    connectionFailures: integer("connection_failures").notNull().default(0),
    connectionSuccessRate: doublePrecision("connection_success_rate").notNull().default(1),
    totalLogins: integer("total_logins").notNull().default(0),
    failedLogins: integer("failed_logins").notNull().default(0),
    lastLoginAt: ts("last_login_at"),
    accountAgeDays: integer("account_age_days").notNull().default(0),
    totalRenewals: integer("total_renewals").notNull().default(0),
    lifetimeValueCents: bigint("lifetime_value_cents", { mode: "number" }).notNull().default(0),
    currentTier: text("current_tier"),
    totalTickets: integer("total_tickets").notNull().default(0),
    openTickets: integer("open_tickets").notNull().default(0),
    avgResolutionSeconds: doublePrecision("avg_resolution_seconds"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  // The dashboard's top users by data and by connections: the first ten from an index, not a sort of every user.
  (t) => [index("user_usage_stats_data_idx").on(sql`(${t.totalBytesUploaded} + ${t.totalBytesDownloaded})`), index("user_usage_stats_connections_idx").on(t.totalConnections)],
);

/**
 * Per user per UTC day (the seed's DailyUsageMetrics). Derived from the telemetry by the rollup and rebuilt by it, never edited:
 * no foreign key to users (checking one for each of millions of backfilled
 * rows cost a third of the rollup; the rollup writes rows for existing users
 * only, and accounts are suspended or closed, never deleted — decision 012),
 * and only the primary key (every read is one user's days).
 */
export const dailyUsageMetrics = pgTable(
  "daily_usage_metrics",
  {
    userId: text("user_id").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    connections: integer("connections").notNull().default(0),
    connectionSeconds: bigint("connection_seconds", { mode: "number" }).notNull().default(0),
    bytesUploaded: bigint("bytes_uploaded", { mode: "number" }).notNull().default(0),
    bytesDownloaded: bigint("bytes_downloaded", { mode: "number" }).notNull().default(0),
    avgLatencyMs: doublePrecision("avg_latency_ms"),
    avgThroughputBps: doublePrecision("avg_throughput_bps").notNull().default(0),
    serversUsed: integer("servers_used").notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.date] })],
);

/** System-wide snapshots, one per hour (the seed's SystemMetrics). */
export const systemMetrics = pgTable(
  "system_metrics",
  {
    id: id(),
    timestamp: ts("timestamp").notNull(),
    totalUsers: integer("total_users").notNull().default(0),
    activeUsers24h: integer("active_users_24h").notNull().default(0),
    activeUsers7d: integer("active_users_7d").notNull().default(0),
    activeUsers30d: integer("active_users_30d").notNull().default(0),
    newUsersToday: integer("new_users_today").notNull().default(0),
    totalConnections: integer("total_connections").notNull().default(0),
    activeConnections: integer("active_connections").notNull().default(0),
    avgSessionSeconds: doublePrecision("avg_session_seconds").notNull().default(0),
    totalServers: integer("total_servers").notNull().default(0),
    healthyServers: integer("healthy_servers").notNull().default(0),
    degradedServers: integer("degraded_servers").notNull().default(0),
    offlineServers: integer("offline_servers").notNull().default(0),
    avgServerLoad: doublePrecision("avg_server_load").notNull().default(0),
    bandwidth24hBytes: bigint("bandwidth_24h_bytes", { mode: "number" }).notNull().default(0),
    avgThroughputBps: doublePrecision("avg_throughput_bps").notNull().default(0),
    peakThroughputBps: doublePrecision("peak_throughput_bps").notNull().default(0),
    avgLatencyMs: doublePrecision("avg_latency_ms"),
    totalSubscriptions: integer("total_subscriptions").notNull().default(0),
    activeSubscriptions: integer("active_subscriptions").notNull().default(0),
    mrrCents: bigint("mrr_cents", { mode: "number" }).notNull().default(0),
    churnRate: doublePrecision("churn_rate").notNull().default(0),
    openTickets: integer("open_tickets").notNull().default(0),
    ticketsResolved24h: integer("tickets_resolved_24h").notNull().default(0),
    avgResolutionSeconds: doublePrecision("avg_resolution_seconds"),
    abuseIncidents24h: integer("abuse_incidents_24h").notNull().default(0),
    failedLogins24h: integer("failed_logins_24h").notNull().default(0),
  },
  // One snapshot per hour: the rollup upserts on the hour it describes.
  (t) => [uniqueIndex("system_metrics_timestamp_key").on(t.timestamp)],
);
