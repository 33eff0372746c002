import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";

/**
 * daily_usage_metrics for the UTC days [from, to), recomputed from the raw
 * telemetry in one INSERT … SELECT … ON CONFLICT DO UPDATE: running it again
 * gives the same rows. Connection time is the overlap of each session with
 * the day, so a session over midnight counts on both days; bytes come from
 * traffic samples (deltas), so counter resets are already accounted for.
 */
export async function rollupDailyUsage(from: string, to: string): Promise<number> {
  const db = await getDb();
  const result = await rows<{ n: number }>(
    db,
    sql`with days as (
          select d::date as day, d as day_start, d + interval '1 day' as day_end
          from generate_series(${from}::date::timestamptz, (${to}::date - 1)::timestamptz, interval '1 day') d
        ), sessions as (
          select s.user_id, d.day, s.server_id,
            (s.started_at >= d.day_start) as started_today,
            extract(epoch from least(coalesce(s.ended_at, s.last_seen_at), d.day_end) - greatest(s.started_at, d.day_start)) as secs
          from connection_sessions s
          join days d on s.started_at < d.day_end and coalesce(s.ended_at, s.last_seen_at) >= d.day_start
        ), by_session as (
          select user_id, day, count(*) filter (where started_today)::int as connections,
            sum(greatest(secs, 0))::bigint as seconds, count(distinct server_id)::int as servers
          from sessions group by user_id, day
        ), by_traffic as (
          select t.user_id, (t.sampled_at at time zone 'UTC')::date as day, sum(t.bytes_up)::bigint as up, sum(t.bytes_down)::bigint as down
          from traffic_samples t
          where t.sampled_at >= ${from}::date::timestamptz and t.sampled_at < ${to}::date::timestamptz
          group by 1, 2
        ), merged as (
          select coalesce(s.user_id, t.user_id) as user_id, coalesce(s.day, t.day) as day,
            coalesce(s.connections, 0) as connections, coalesce(s.seconds, 0) as seconds, coalesce(s.servers, 0) as servers,
            coalesce(t.up, 0) as up, coalesce(t.down, 0) as down
          from by_session s full join by_traffic t on t.user_id = s.user_id and t.day = s.day
        ), upserted as (
          insert into daily_usage_metrics as m (user_id, date, connections, connection_seconds, bytes_uploaded, bytes_downloaded, avg_latency_ms, avg_throughput_bps, servers_used, updated_at)
          select user_id, day, connections, seconds, up, down, null,
            case when seconds > 0 then (up + down)::float8 / seconds else 0 end, servers, now()
          from merged where user_id in (select id from users)
          on conflict (user_id, date) do update set
            connections = excluded.connections, connection_seconds = excluded.connection_seconds,
            bytes_uploaded = excluded.bytes_uploaded, bytes_downloaded = excluded.bytes_downloaded,
            avg_throughput_bps = excluded.avg_throughput_bps, servers_used = excluded.servers_used, updated_at = excluded.updated_at
          returning 1
        )
        select count(*)::int as n from upserted`,
  );
  return Number(result[0]?.n ?? 0);
}
