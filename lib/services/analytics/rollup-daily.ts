import "server-only";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { inPart, inUserParts, type UserPart } from "@/db/analytics-transaction";

/**
 * daily_usage_metrics for the UTC days [from, to), recomputed from the raw
 * telemetry in one INSERT … SELECT … ON CONFLICT DO UPDATE: running it again
 * gives the same rows, and rows whose values did not change are not
 * rewritten. Connection time is the overlap of each session with the day, so
 * a session over midnight counts on both days; bytes come from traffic
 * samples (deltas), so counter resets are already accounted for. Each
 * session is expanded into the days it spans (almost always one), which
 * stays linear in the sessions however many days are rolled up; servers used
 * come from a first aggregation per server, so no aggregate needs a sort.
 * Answers the number of rows written.
 */
export async function rollupDailyUsage(from: string, to: string): Promise<number> {
  const written = await inUserParts(async (tx, part) => {
    // The planner takes each session's generate_series for 1,000 days and so plans sorts of billions
    // of rows; its real output is about one row per session, which hash aggregates take in memory.
    await tx.execute(sql`select set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true)`);
    return rows<{ n: number }>(tx, dailyPart(from, to, part));
  });
  return written.reduce((sum, r) => sum + Number(r[0]?.n ?? 0), 0);
}

/** The statement for one share of the users (all of them when there is one part). */
function dailyPart(from: string, to: string, part: UserPart) {
  const fromTs = sql`(${from}::date::timestamp at time zone 'UTC')`;
  const toTs = sql`(${to}::date::timestamp at time zone 'UTC')`;
  return (
      sql`with sessions as (
            select s.user_id, s.server_id, s.started_at, coalesce(s.ended_at, s.last_seen_at) as ended
            from connection_sessions s
            where s.started_at < ${toTs} and coalesce(s.ended_at, s.last_seen_at) >= ${fromTs} and ${inPart(sql`s.user_id`, part)}
          ), session_days as (
            select x.user_id, x.server_id, x.started_at, x.ended, g.d::date as day,
              g.d at time zone 'UTC' as day_start, (g.d + interval '1 day') at time zone 'UTC' as day_end
            from sessions x
            cross join lateral generate_series(
              date_trunc('day', greatest(x.started_at, ${fromTs}) at time zone 'UTC'),
              date_trunc('day', least(x.ended, ${toTs} - interval '1 microsecond') at time zone 'UTC'),
              interval '1 day') g(d)
          ), per_server as (
            select user_id, day, server_id,
              count(*) filter (where started_at >= day_start) as connections,
              sum(greatest(date_part('epoch', least(ended, day_end) - greatest(started_at, day_start)), 0)) as seconds
            from session_days group by user_id, day, server_id
          ), by_session as (
            select user_id, day, sum(connections)::int as connections, sum(seconds)::bigint as seconds, count(*)::int as servers
            from per_server group by user_id, day
          ), by_traffic as (
            select t.user_id, (t.sampled_at at time zone 'UTC')::date as day, sum(t.bytes_up)::bigint as up, sum(t.bytes_down)::bigint as down
            from traffic_samples t
            where t.sampled_at >= ${fromTs} and t.sampled_at < ${toTs} and ${inPart(sql`t.user_id`, part)}
            group by 1, 2
          ), by_latency as (
            select l.user_id, (l.sampled_at at time zone 'UTC')::date as day, avg(l.rtt_ms) as rtt
            from latency_samples l
            where l.sampled_at >= ${fromTs} and l.sampled_at < ${toTs} and ${inPart(sql`l.user_id`, part)}
            group by 1, 2
          ), merged as (
            select coalesce(s.user_id, t.user_id) as user_id, coalesce(s.day, t.day) as day,
              coalesce(s.connections, 0) as connections, coalesce(s.seconds, 0) as seconds, coalesce(s.servers, 0) as servers,
              coalesce(t.up, 0) as up, coalesce(t.down, 0) as down
            from by_session s full join by_traffic t on t.user_id = s.user_id and t.day = s.day
          ), upserted as (
            insert into daily_usage_metrics as m (user_id, date, connections, connection_seconds, bytes_uploaded, bytes_downloaded, avg_latency_ms, avg_throughput_bps, servers_used, updated_at)
            select m.user_id, m.day, connections, seconds, up, down, l.rtt,
              case when seconds > 0 then (up + down)::float8 / seconds else 0 end, servers, now()
            from merged m left join by_latency l on l.user_id = m.user_id and l.day = m.day
            where m.user_id in (select id from users)
            on conflict (user_id, date) do update set
              connections = excluded.connections, connection_seconds = excluded.connection_seconds,
              bytes_uploaded = excluded.bytes_uploaded, bytes_downloaded = excluded.bytes_downloaded,
              avg_throughput_bps = excluded.avg_throughput_bps, servers_used = excluded.servers_used,
              avg_latency_ms = excluded.avg_latency_ms, updated_at = excluded.updated_at
            where (m.connections, m.connection_seconds, m.bytes_uploaded, m.bytes_downloaded, m.servers_used, m.avg_latency_ms)
              is distinct from (excluded.connections, excluded.connection_seconds, excluded.bytes_uploaded, excluded.bytes_downloaded, excluded.servers_used, excluded.avg_latency_ms)
            returning 1
          )
          select count(*)::int as n from upserted`
  );
}
