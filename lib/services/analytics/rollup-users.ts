import "server-only";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { inPart, inUserParts } from "@/db/analytics-transaction";

/**
 * user_usage_stats for every user (or one), from raw sessions, the daily
 * rollup, sign-in attempts, subscriptions and tickets — one INSERT … SELECT
 * … ON CONFLICT DO UPDATE of grouped aggregates per part of the users
 * (db/analytics-transaction.ts), never a loop over users. The sessions are
 * read once, in hash aggregates: server switches were marked by the push that
 * opened each session, so no ordered pass over the history is needed.
 * Definitions (docs/analytics.md): a failed connection is a session that
 * ended having received nothing; bandwidth is bytes per connected second;
 * throughput is the mean of per-session rates; latency is the mean of the
 * daily means of the round trips the agents measured (null until one was).
 */
export async function rollupUserStats(opts: { userId?: string; now?: Date } = {}): Promise<number> {
  const now = (opts.now ?? new Date()).toISOString();
  const only = opts.userId ? sql`and user_id = ${opts.userId}` : sql``;
  const onlyU = opts.userId ? sql`and u.id = ${opts.userId}` : sql``;
  const parts = await inUserParts((tx, part) =>
    rows<{ n: number }>(
      tx,
      sql`with per_server as (
            -- One hash aggregate over the sessions, per user and server; no sort of the history.
            select user_id, server_id, count(*)::int as total,
              count(*) filter (where ended_at is null and last_seen_at >= ${now}::timestamptz - interval '3 minutes')::int as active,
              sum(greatest(secs, 0)) as seconds, max(started_at) as last_at,
              count(*) filter (where ended_at is not null and bytes_down = 0)::int as failures,
              sum((bytes_up + bytes_down) / secs) filter (where secs > 0) as rate_sum, count(*) filter (where secs > 0) as rated,
              count(*) filter (where switched_server)::int as switches
            from (select *, date_part('epoch', coalesce(ended_at, last_seen_at) - started_at) as secs from connection_sessions) s
            where ${inPart(sql`user_id`, part)} ${only}
            group by user_id, server_id
          ), sess as (
            select user_id, sum(total)::int as total, sum(active)::int as active, sum(seconds)::bigint as seconds, max(last_at) as last_at,
              count(*)::int as servers, sum(failures)::int as failures, sum(rate_sum) / nullif(sum(rated), 0) as throughput,
              sum(switches)::int as switches,
              (array_agg(server_id order by seconds desc, server_id))[1] as favorite
            from per_server group by user_id
          ), daily as (
            select user_id, sum(bytes_uploaded)::bigint as up, sum(bytes_downloaded)::bigint as down, avg(avg_latency_ms) as rtt,
              sum(bytes_uploaded + bytes_downloaded) filter (where date >= date_trunc('month', ${now}::timestamptz at time zone 'UTC')::date)::bigint as month_bytes
            from daily_usage_metrics where ${inPart(sql`user_id`, part)} ${only} group by user_id
          ), logins as (
            select user_id, count(*) filter (where success)::int as ok, count(*) filter (where not success)::int as failed
            from sign_in_attempts where user_id is not null and ${inPart(sql`user_id`, part)} ${only} group by user_id
          ), subs as (
            select user_id, sum(renewals)::int as renewals, sum(price_cents::bigint * (renewals + 1))::bigint as ltv,
              (array_agg(plan_id order by (status <> 'cancelled') desc, started_at desc))[1] as tier
            from subscriptions where ${inPart(sql`user_id`, part)} ${only} group by user_id
          ), tickets as (
            select user_id, count(*)::int as total, count(*) filter (where status not in ('resolved','closed'))::int as open,
              avg(extract(epoch from resolved_at - created_at)) filter (where resolved_at is not null) as resolution
            from support_tickets where ${inPart(sql`user_id`, part)} ${only} group by user_id
          ), upserted as (
            insert into user_usage_stats as st (
              user_id, total_connections, active_connections, total_connection_seconds, avg_session_seconds, last_connection_at,
              total_bytes_uploaded, total_bytes_downloaded, total_data_gb, current_month_bytes, avg_bandwidth_bps,
              favorite_server_id, unique_servers_used, server_switch_count, avg_latency_ms, avg_throughput_bps,
              connection_failures, connection_success_rate, total_logins, failed_logins, last_login_at, account_age_days,
              total_renewals, lifetime_value_cents, current_tier, total_tickets, open_tickets, avg_resolution_seconds, updated_at)
            select u.id, coalesce(sess.total, 0), coalesce(sess.active, 0), coalesce(sess.seconds, 0),
              case when coalesce(sess.total, 0) > 0 then sess.seconds::float8 / sess.total else 0 end, sess.last_at,
              coalesce(daily.up, 0), coalesce(daily.down, 0), (coalesce(daily.up, 0) + coalesce(daily.down, 0)) / 1e9,
              coalesce(daily.month_bytes, 0),
              case when coalesce(sess.seconds, 0) > 0 then (coalesce(daily.up, 0) + coalesce(daily.down, 0))::float8 / sess.seconds else 0 end,
              sess.favorite, coalesce(sess.servers, 0), coalesce(sess.switches, 0), daily.rtt, coalesce(sess.throughput, 0),
              coalesce(sess.failures, 0),
              case when coalesce(sess.total, 0) > 0 then 1 - sess.failures::float8 / sess.total else 1 end,
              coalesce(logins.ok, 0), coalesce(logins.failed, 0), u.last_login_at,
              greatest(0, floor(extract(epoch from ${now}::timestamptz - u.created_at) / 86400))::int,
              coalesce(subs.renewals, 0), coalesce(subs.ltv, 0), subs.tier,
              coalesce(tickets.total, 0), coalesce(tickets.open, 0), tickets.resolution, ${now}::timestamptz
            from users u
            left join sess on sess.user_id = u.id left join daily on daily.user_id = u.id
            left join logins on logins.user_id = u.id left join subs on subs.user_id = u.id left join tickets on tickets.user_id = u.id
            where ${inPart(sql`u.id`, part)} ${onlyU}
            on conflict (user_id) do update set
              total_connections = excluded.total_connections, active_connections = excluded.active_connections,
              total_connection_seconds = excluded.total_connection_seconds, avg_session_seconds = excluded.avg_session_seconds,
              last_connection_at = excluded.last_connection_at, total_bytes_uploaded = excluded.total_bytes_uploaded,
              total_bytes_downloaded = excluded.total_bytes_downloaded, total_data_gb = excluded.total_data_gb,
              current_month_bytes = excluded.current_month_bytes, avg_bandwidth_bps = excluded.avg_bandwidth_bps,
              favorite_server_id = excluded.favorite_server_id, unique_servers_used = excluded.unique_servers_used,
              server_switch_count = excluded.server_switch_count, avg_latency_ms = excluded.avg_latency_ms, avg_throughput_bps = excluded.avg_throughput_bps,
              connection_failures = excluded.connection_failures, connection_success_rate = excluded.connection_success_rate,
              total_logins = excluded.total_logins, failed_logins = excluded.failed_logins, last_login_at = excluded.last_login_at,
              account_age_days = excluded.account_age_days, total_renewals = excluded.total_renewals,
              lifetime_value_cents = excluded.lifetime_value_cents, current_tier = excluded.current_tier,
              total_tickets = excluded.total_tickets, open_tickets = excluded.open_tickets,
              avg_resolution_seconds = excluded.avg_resolution_seconds, updated_at = excluded.updated_at
            returning 1
          )
          select count(*)::int as n from upserted`,
    ),
    { single: opts.userId !== undefined },
  );
  return parts.reduce((sum, r) => sum + Number(r[0]?.n ?? 0), 0);
}
