import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";
import { getQuotaSummary } from "./quota-summary";
import { loadServersWithCountedPeers } from "./servers";
import { recentCount } from "./recent";

export interface DailyDto {
  date: string;
  connections: number;
  connectionSeconds: number;
  bytesUploaded: number;
  bytesDownloaded: number;
  avgLatencyMs: number | null;
  avgThroughputBps: number;
  serversUsed: number;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/**
 * Raw rows come back with bigint columns as strings on postgres-js and
 * timestamps as Date or text depending on the driver: one shape for the API —
 * `…At` keys as ISO strings, the named keys as text, everything else numbers.
 */
function normalize(row: Record<string, unknown>, textKeys: string[]): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v === null || v === undefined ? null : k.endsWith("At") ? iso(v) : textKeys.includes(k) ? String(v) : Number(v);
  }
  return out;
}

/** The stats row as the API shows it: camelCase, numbers, ISO dates. */
export type UsageStatsDto = Record<string, string | number | null>;

async function statsOf(userId: string): Promise<UsageStatsDto | null> {
  const db = await getDb();
  const [row] = await rows<Record<string, unknown>>(
    db,
    sql`select user_id as "userId", total_connections as "totalConnections", active_connections as "activeConnections",
          total_connection_seconds as "totalConnectionSeconds", avg_session_seconds as "avgSessionSeconds",
          last_connection_at as "lastConnectionAt", total_bytes_uploaded as "totalBytesUploaded",
          total_bytes_downloaded as "totalBytesDownloaded", total_data_gb as "totalDataGb", current_month_bytes as "currentMonthBytes",
          avg_bandwidth_bps as "avgBandwidthBps", favorite_server_id as "favoriteServerId", unique_servers_used as "uniqueServersUsed",
          server_switch_count as "serverSwitchCount", avg_latency_ms as "avgLatencyMs", avg_throughput_bps as "avgThroughputBps",
          connection_failures as "connectionFailures", connection_success_rate as "connectionSuccessRate",
          total_logins as "totalLogins", failed_logins as "failedLogins", last_login_at as "lastLoginAt",
          account_age_days as "accountAgeDays", total_renewals as "totalRenewals", lifetime_value_cents as "lifetimeValueCents",
          current_tier as "currentTier", total_tickets as "totalTickets", open_tickets as "openTickets",
          avg_resolution_seconds as "avgResolutionSeconds", updated_at as "updatedAt"
        from user_usage_stats where user_id = ${userId}`,
  );
  return row ? normalize(row, ["userId", "favoriteServerId", "currentTier"]) : null;
}

export async function dailyOf(userId: string, days: number): Promise<DailyDto[]> {
  const db = await getDb();
  const list = await rows<Record<string, unknown>>(
    db,
    sql`select to_char(date, 'YYYY-MM-DD') as date, connections, connection_seconds, bytes_uploaded, bytes_downloaded,
          avg_latency_ms, avg_throughput_bps, servers_used
        from daily_usage_metrics
        where user_id = ${userId} and date > (now() at time zone 'UTC')::date - ${days}::int
        order by date`,
  );
  return list.map((r) => ({
    date: r.date as string,
    connections: num(r.connections),
    connectionSeconds: num(r.connection_seconds),
    bytesUploaded: num(r.bytes_uploaded),
    bytesDownloaded: num(r.bytes_downloaded),
    avgLatencyMs: r.avg_latency_ms === null ? null : Number(r.avg_latency_ms),
    avgThroughputBps: num(r.avg_throughput_bps),
    serversUsed: num(r.servers_used),
  }));
}

/** GET /api/analytics/me: the caller's own figures only. */
export async function getMyAnalytics(actor: UserActor, days: number) {
  return { stats: await statsOf(actor.id), daily: await dailyOf(actor.id, days) };
}

export interface UsagePageData {
  daily: DailyDto[];
  devices: { peerId: string; deviceName: string; status: string; bytesUploaded: number; bytesDownloaded: number; sessions: number }[];
  recentSessions: { id: string; deviceName: string; serverName: string; clientIp: string | null; startedAt: string; endedAt: string | null; seconds: number; bytesUp: number; bytesDown: number }[];
  /** This calendar month in the account's time zone (`timeZone`), against the plan's allowance. */
  month: { bytes: number; allowanceBytes: number | null; resetsAt: string; planName: string; timeZone: string; blockedUntil: string | null };
}

/** The /usage page: per-day series, per-device breakdown over the period, last connections, this month against the plan. */
export async function getUsagePage(actor: UserActor, days: number): Promise<UsagePageData> {
  const db = await getDb();
  const devices = await rows<Record<string, unknown>>(
    db,
    sql`select p.id as "peerId", p.device_name as "deviceName", p.status,
          coalesce(t.up, 0) as up, coalesce(t.down, 0) as down, coalesce(s.n, 0) as sessions
        from wireguard_peers p
        left join (select peer_id, sum(bytes_up) as up, sum(bytes_down) as down from traffic_samples
                   where user_id = ${actor.id} and sampled_at > now() - make_interval(days => ${days}) group by peer_id) t on t.peer_id = p.id
        left join (select peer_id, count(*) as n from connection_sessions
                   where user_id = ${actor.id} and started_at > now() - make_interval(days => ${days}) group by peer_id) s on s.peer_id = p.id
        where p.user_id = ${actor.id}
        order by coalesce(t.up, 0) + coalesce(t.down, 0) desc, p.device_name`,
  );
  const sessions = await rows<Record<string, unknown>>(
    db,
    sql`select s.id, p.device_name as "deviceName", v.name as "serverName", s.client_ip as "clientIp", s.started_at as "startedAt",
          s.ended_at as "endedAt", extract(epoch from coalesce(s.ended_at, s.last_seen_at) - s.started_at) as seconds, s.bytes_up, s.bytes_down
        from connection_sessions s join wireguard_peers p on p.id = s.peer_id join vpn_servers v on v.id = s.server_id
        where s.user_id = ${actor.id} order by s.started_at desc limit 20`,
  );
  // The calendar month in the account's time zone, counted exactly as the quota job counts it.
  const quota = await getQuotaSummary(actor);
  return {
    daily: await dailyOf(actor.id, days),
    devices: devices.map((d) => ({ peerId: d.peerId as string, deviceName: d.deviceName as string, status: d.status as string, bytesUploaded: num(d.up), bytesDownloaded: num(d.down), sessions: num(d.sessions) })),
    recentSessions: sessions.map((s) => ({
      id: s.id as string,
      deviceName: s.deviceName as string,
      serverName: s.serverName as string,
      clientIp: (s.clientIp as string) ?? null,
      startedAt: iso(s.startedAt)!,
      endedAt: iso(s.endedAt),
      seconds: Math.max(0, Math.round(num(s.seconds))),
      bytesUp: num(s.bytes_up),
      bytesDown: num(s.bytes_down),
    })),
    month: {
      bytes: quota.bytes,
      allowanceBytes: quota.allowanceBytes,
      resetsAt: quota.resetsAt,
      planName: quota.planName,
      timeZone: quota.timeZone,
      blockedUntil: quota.blockedUntil,
    },
  };
}

/** Live subscriptions per plan, from their partial index (subscriptions_live_plan_idx) without visiting the table. */
async function countRevenue(): Promise<Record<string, unknown>[]> {
  const db = await getDb();
  return rows<Record<string, unknown>>(
    db,
    sql`select pl.id as "planId", pl.name, coalesce(live.n, 0) as active, coalesce(live.mrr, 0) as mrr
        from plans pl left join (select plan_id, count(*) as n, sum(price_cents) as mrr from subscriptions
                                 where status in ('active','past_due') group by plan_id) live on live.plan_id = pl.id
        order by pl.name`,
  );
}

/**
 * How old the dashboard page's subscriptions per plan may be. Counting them
 * is a pass over every live subscription (11 ms of the database's time per
 * page at 100,000 users, as much as the rest of the dashboard's queries
 * together); plans change by the day, not by the second. GET
 * /api/admin/stats counts exactly.
 */
export const REVENUE_TTL_MS = 30_000;
const revenueCount = recentCount(countRevenue, REVENUE_TTL_MS);

/**
 * GET /api/admin/stats and the dashboard: latest snapshot and its history,
 * top users, server health, revenue; `recentRevenue` (the page) takes
 * subscriptions per plan counted up to REVENUE_TTL_MS ago.
 */
export async function getAdminDashboard(actor: Actor, hours = 24 * 7, options: { recentRevenue?: boolean } = {}) {
  authorizeUser(actor, "admin.view");
  const db = await getDb();
  const history = await rows<Record<string, unknown>>(
    db,
    sql`select * from system_metrics where timestamp > now() - make_interval(hours => ${hours}) order by timestamp`,
  );
  const toSnapshot = (r: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      const key = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      out[key] = k === "timestamp" ? iso(v) : k === "id" ? v : v === null ? null : Number(v);
    }
    return out;
  };
  const [latest] = await rows<Record<string, unknown>>(db, sql`select * from system_metrics order by timestamp desc limit 1`);
  const top = (order: "data" | "connections") =>
    rows<Record<string, unknown>>(
      db,
      sql`select s.user_id as "userId", u.email, s.total_bytes_uploaded + s.total_bytes_downloaded as bytes, s.total_connections as connections
          from user_usage_stats s join users u on u.id = s.user_id
          order by ${order === "data" ? sql`s.total_bytes_uploaded + s.total_bytes_downloaded` : sql`s.total_connections`} desc, u.email limit 10`,
    );
  const [byData, byConnections] = await Promise.all([top("data"), top("connections")]);
  const servers = (await loadServersWithCountedPeers()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const revenue = await (options.recentRevenue ? revenueCount.get() : countRevenue());
  const shapeTop = (list: Record<string, unknown>[]) => list.map((r) => ({ userId: r.userId as string, email: r.email as string, bytes: num(r.bytes), connections: num(r.connections) }));
  return {
    latest: latest ? toSnapshot(latest) : null,
    history: history.map(toSnapshot),
    topUsersByData: shapeTop(byData),
    topUsersByConnections: shapeTop(byConnections),
    servers: servers.map(({ id, name, region, status, load, activePeers, lastHeartbeatAt }) => ({ id, name, region, status, load, activePeers, lastHeartbeatAt })),
    revenue: {
      mrrCents: num(latest?.mrr_cents),
      churnRate: num(latest?.churn_rate),
      byPlan: revenue.map((r) => ({ planId: r.planId as string, name: r.name as string, activeSubscriptions: num(r.active), mrrCents: num(r.mrr) })),
    },
  };
}

/** GET /api/admin/users/:id/report: the seed's user report. */
export async function getUserReport(actor: Actor, userId: string) {
  authorizeUser(actor, "admin.view");
  // An id that cannot exist (a NUL byte, a megabyte of text) is not found, before any query sees it.
  if (!isId(userId)) throw new AppError("not_found", "User not found");
  const db = await getDb();
  const [user] = await rows<Record<string, unknown>>(
    db,
    sql`select id, email, name, role, status, status_reason as "statusReason", created_at as "createdAt", last_login_at as "lastLoginAt"
        from users where id = ${userId}`,
  );
  if (!user) throw new AppError("not_found", "User not found");
  const subscription = await rows<Record<string, unknown>>(
    db,
    sql`select su.id, su.plan_id as "planId", pl.name as "planName", su.status, su.price_cents as "priceCents", su.started_at as "startedAt",
          su.renewed_at as "renewedAt", su.cancelled_at as "cancelledAt", su.renewals
        from subscriptions su join plans pl on pl.id = su.plan_id where su.user_id = ${userId} order by su.started_at desc`,
  );
  const sessions = await rows<Record<string, unknown>>(
    db,
    sql`select s.id, p.device_name as "deviceName", v.name as "serverName", s.client_ip as "clientIp", s.started_at as "startedAt",
          s.ended_at as "endedAt", s.bytes_up as "bytesUp", s.bytes_down as "bytesDown"
        from connection_sessions s join wireguard_peers p on p.id = s.peer_id join vpn_servers v on v.id = s.server_id
        where s.user_id = ${userId} order by s.started_at desc limit 20`,
  );
  const [health] = await rows<Record<string, unknown>>(
    db,
    sql`select (select count(*) from abuse_detection_logs where user_id = ${userId} and status in ('pending','investigating')) as "openIncidents",
          (select count(*) from abuse_detection_logs where user_id = ${userId}) as "totalIncidents",
          (select count(*) from sign_in_attempts where user_id = ${userId} and not success and created_at > now() - interval '30 days') as "failedLogins30d",
          (select count(*) from wireguard_peers where user_id = ${userId} and status = 'active') as "activeDevices",
          (select count(*) from support_tickets where user_id = ${userId} and status not in ('resolved','closed')) as "openTickets"`,
  );
  const text = ["id", "email", "name", "role", "status", "statusReason", "planId", "planName", "deviceName", "serverName", "clientIp"];
  const fixDates = (r: Record<string, unknown>) => normalize(r, text);
  const h = {
    openIncidents: num(health?.openIncidents),
    totalIncidents: num(health?.totalIncidents),
    failedLogins30d: num(health?.failedLogins30d),
    activeDevices: num(health?.activeDevices),
    openTickets: num(health?.openTickets),
  };
  const flags: string[] = [];
  if (user.status !== "active") flags.push(`account ${user.status as string}`);
  if (h.openIncidents) flags.push(`${h.openIncidents} open abuse incident(s)`);
  if (h.failedLogins30d >= 10) flags.push(`${h.failedLogins30d} failed sign-ins in 30 days`);
  return {
    user: fixDates(user),
    usage: await statsOf(userId),
    daily: await dailyOf(userId, 30),
    subscription: subscription[0] ? fixDates(subscription[0]) : null,
    subscriptions: subscription.map(fixDates),
    recentConnections: sessions.map(fixDates),
    accountHealth: { ...h, status: flags.length === 0 ? "good" : h.openIncidents || user.status === "banned" ? "at_risk" : "attention", flags },
  };
}
