import "server-only";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { analyticsTransaction } from "@/db/analytics-transaction";
import { DEGRADED_WITHIN_MS, HEALTHY_WITHIN_MS } from "@/lib/vpn/health";

/**
 * The hourly system_metrics snapshot, one INSERT of scalar sub-queries,
 * upserted on the hour it describes (a re-run replaces it). Definitions
 * (docs/analytics.md): an active user had a session in the window; MRR is the
 * monthly price of every active or past-due subscription; churn is the share
 * of subscriptions live 30 days ago that were cancelled since.
 */
export async function snapshotSystemMetrics(now: Date = new Date()): Promise<{ timestamp: string }> {
  const at = now.toISOString();
  const [row] = await analyticsTransaction(async (tx) => {
    // One pass over the last 30 days of sessions: each user's latest sighting, then the three windows.
    // A statement of its own, not a part of the INSERT: PostgreSQL gives parallel workers to a
    // read-only statement only.
    const [active] = await rows<{ d1: number; d7: number; d30: number }>(
      tx,
      sql`select count(*) filter (where last >= ${at}::timestamptz - interval '24 hours')::int as d1,
            count(*) filter (where last >= ${at}::timestamptz - interval '7 days')::int as d7, count(*)::int as d30
          from (select user_id, max(coalesce(ended_at, last_seen_at)) as last from connection_sessions
                where coalesce(ended_at, last_seen_at) >= ${at}::timestamptz - interval '30 days' group by user_id) u`,
    );
    return rows<{ timestamp: Date | string }>(
      tx,
      sql`insert into system_metrics as m (
            timestamp, total_users, active_users_24h, active_users_7d, active_users_30d, new_users_today,
            total_connections, active_connections, avg_session_seconds,
            total_servers, healthy_servers, degraded_servers, offline_servers, avg_server_load,
            bandwidth_24h_bytes, avg_throughput_bps, peak_throughput_bps, avg_latency_ms,
            total_subscriptions, active_subscriptions, mrr_cents, churn_rate,
            open_tickets, tickets_resolved_24h, avg_resolution_seconds, abuse_incidents_24h, failed_logins_24h)
          select date_trunc('hour', ${at}::timestamptz),
            (select count(*) from users),
            ${Number(active!.d1)}::int, ${Number(active!.d7)}::int, ${Number(active!.d30)}::int,
            (select count(*) from users where created_at >= date_trunc('day', ${at}::timestamptz at time zone 'UTC') at time zone 'UTC'),
            (select count(*) from connection_sessions where started_at >= ${at}::timestamptz - interval '24 hours'),
            (select count(*) from connection_sessions where ended_at is null and last_seen_at >= ${at}::timestamptz - interval '3 minutes'),
            coalesce((select avg(extract(epoch from ended_at - started_at)) from connection_sessions
                      where ended_at >= ${at}::timestamptz - interval '24 hours'), 0),
            (select count(*) from vpn_servers),
            (select count(*) from vpn_servers where last_heartbeat_at >= ${at}::timestamptz - make_interval(secs => ${HEALTHY_WITHIN_MS / 1000})),
            (select count(*) from vpn_servers where last_heartbeat_at < ${at}::timestamptz - make_interval(secs => ${HEALTHY_WITHIN_MS / 1000})
               and last_heartbeat_at >= ${at}::timestamptz - make_interval(secs => ${DEGRADED_WITHIN_MS / 1000})),
            (select count(*) from vpn_servers where last_heartbeat_at is null or last_heartbeat_at < ${at}::timestamptz - make_interval(secs => ${DEGRADED_WITHIN_MS / 1000})),
            coalesce((select avg(100.0 * (select count(*) from wireguard_peers p where p.server_id = s.id and p.status = 'active') / greatest(s.capacity, 1))
                      from vpn_servers s), 0),
            coalesce((select sum(bytes_up + bytes_down) from traffic_samples where sampled_at >= ${at}::timestamptz - interval '24 hours'), 0),
            coalesce((select sum(bytes_up + bytes_down) from traffic_samples where sampled_at >= ${at}::timestamptz - interval '24 hours'), 0) / 86400.0,
            coalesce((select max(b) / 3600.0 from (select sum(bytes_up + bytes_down) as b from traffic_samples
                       where sampled_at >= ${at}::timestamptz - interval '24 hours' group by date_trunc('hour', sampled_at)) h), 0),
            (select avg(rtt_ms) from latency_samples where sampled_at >= ${at}::timestamptz - interval '24 hours'),
            (select count(*) from subscriptions),
            (select count(*) from subscriptions where status in ('active', 'past_due')),
            coalesce((select sum(price_cents) from subscriptions where status in ('active', 'past_due')), 0),
            coalesce((select count(*) filter (where cancelled_at >= ${at}::timestamptz - interval '30 days')::float8 / nullif(count(*), 0)
                      from subscriptions where started_at < ${at}::timestamptz - interval '30 days'
                        and (cancelled_at is null or cancelled_at >= ${at}::timestamptz - interval '30 days')), 0),
            (select count(*) from support_tickets where status not in ('resolved', 'closed')),
            (select count(*) from support_tickets where resolved_at >= ${at}::timestamptz - interval '24 hours'),
            (select avg(extract(epoch from resolved_at - created_at)) from support_tickets where resolved_at >= ${at}::timestamptz - interval '30 days'),
            (select count(*) from abuse_detection_logs where detected_at >= ${at}::timestamptz - interval '24 hours'),
            (select count(*) from sign_in_attempts where not success and created_at >= ${at}::timestamptz - interval '24 hours')
          on conflict (timestamp) do update set
            total_users = excluded.total_users, active_users_24h = excluded.active_users_24h, active_users_7d = excluded.active_users_7d,
            active_users_30d = excluded.active_users_30d, new_users_today = excluded.new_users_today,
            total_connections = excluded.total_connections, active_connections = excluded.active_connections,
            avg_session_seconds = excluded.avg_session_seconds, total_servers = excluded.total_servers,
            healthy_servers = excluded.healthy_servers, degraded_servers = excluded.degraded_servers,
            offline_servers = excluded.offline_servers, avg_server_load = excluded.avg_server_load,
            bandwidth_24h_bytes = excluded.bandwidth_24h_bytes, avg_throughput_bps = excluded.avg_throughput_bps,
            peak_throughput_bps = excluded.peak_throughput_bps, total_subscriptions = excluded.total_subscriptions,
            active_subscriptions = excluded.active_subscriptions, mrr_cents = excluded.mrr_cents, churn_rate = excluded.churn_rate,
            open_tickets = excluded.open_tickets, tickets_resolved_24h = excluded.tickets_resolved_24h,
            avg_resolution_seconds = excluded.avg_resolution_seconds, abuse_incidents_24h = excluded.abuse_incidents_24h,
            failed_logins_24h = excluded.failed_logins_24h
          returning timestamp`,
    );
  });
  return { timestamp: new Date(row!.timestamp).toISOString() };
}
