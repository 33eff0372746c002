import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import type { DetectorRow } from "@/lib/abuse/evidence";
import { EVIDENCE_LIST_CAP, HOUR_MS, RULES, type AbuseThresholds } from "@/lib/abuse/thresholds";
import type { IncidentType } from "@/lib/abuse/types";
import { SESSION_RECENT_SECONDS } from "@/lib/services/telemetry";

/**
 * The five detectors. Each is ONE set-based query over the telemetry of the
 * whole user base — grouped by user, no loop — and `userId` only adds a
 * `user_id = $1` filter to that same query (runAllChecks). Each answers only
 * the users whose figures cross the threshold, with the figures and the
 * capped evidence lists as JSON.
 *
 * Evidence already judged is not judged again: once an incident of a type is
 * resolved or marked a false positive, that user's window for that type starts
 * at the closure, so only telemetry recorded after it can raise a new one.
 */
export interface DetectorParams {
  now: Date;
  thresholds: AbuseThresholds;
  userId?: string;
}

const CAP = sql.raw(String(EVIDENCE_LIST_CAP));
const iso = (expr: SQL) => sql`to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const onlyUser = (column: SQL, userId?: string) => (userId ? sql`and ${column} = ${userId}` : sql``);
const op = (type: IncidentType) => sql.raw(RULES[type].comparison);

/** Per user, the latest closure of an incident of this type inside the window: the user's window starts there. */
function closedSince(type: IncidentType, start: Date, userId?: string) {
  return sql`select user_id, max(resolved_at) as since from abuse_detection_logs
    where incident_type = ${type} and status in ('resolved', 'false_positive') and resolved_at > ${at(start)}
    ${onlyUser(sql`user_id`, userId)}
    group by user_id`;
}

/**
 * Sessions overlapping a window are looked up among those started at most this
 * long before it, or still open — both index-backed (started_at, and the
 * partial indexes on open sessions) — instead of the whole session history.
 * A session longer than this that ended inside the window is missed; its
 * traffic samples still count.
 */
export const SESSION_LOOKBACK_HOURS = 7 * 24;
const overlapCandidates = (start: Date) =>
  sql`(cs.started_at > ${at(start)} - make_interval(hours => ${SESSION_LOOKBACK_HOURS}) or cs.ended_at is null)`;

/** A session's end for overlap purposes: a live one (seen within the recent window) lasts until now. */
const sessionEnd = (now: Date) =>
  sql`case when cs.ended_at is null and cs.last_seen_at >= ${at(now)} - make_interval(secs => ${SESSION_RECENT_SECONDS})
      then ${at(now)} else coalesce(cs.ended_at, cs.last_seen_at) end`;

function windowOf(type: IncidentType, now: Date) {
  return new Date(now.getTime() - RULES[type].windowHours * HOUR_MS);
}

/** Traffic samples of the window after any closure, with each user's effective window start. */
function samplesIn(type: IncidentType, p: DetectorParams) {
  const start = windowOf(type, p.now);
  return sql`with closed as (${closedSince(type, start, p.userId)})
    select ts.user_id, ts.peer_id, ts.server_id, ts.bytes_up, ts.bytes_down, ts.client_ip,
      greatest(${at(start)}, c.since) as win_start
    from traffic_samples ts left join closed c on c.user_id = ts.user_id
    where ts.sampled_at > ${at(start)} and ts.sampled_at <= ${at(p.now)}
      and (c.since is null or ts.sampled_at > c.since)
      ${onlyUser(sql`ts.user_id`, p.userId)}`;
}

/** Sessions overlapping the window and started after any closure. */
function sessionsIn(type: IncidentType, p: DetectorParams) {
  const start = windowOf(type, p.now);
  return sql`with closed as (${closedSince(type, start, p.userId)})
    select cs.id, cs.user_id, cs.peer_id, cs.server_id, cs.client_ip, cs.started_at,
      greatest(${sessionEnd(p.now)}, cs.started_at) as ended,
      greatest(${at(start)}, c.since) as win_start
    from connection_sessions cs left join closed c on c.user_id = cs.user_id
    where ${overlapCandidates(start)} and cs.started_at <= ${at(p.now)} and ${sessionEnd(p.now)} >= ${at(start)}
      and (c.since is null or cs.started_at > c.since)
      ${onlyUser(sql`cs.user_id`, p.userId)}`;
}

const QUERIES: Record<IncidentType, (p: DetectorParams) => SQL> = {
  // Bytes up + down per user over 24 h of samples.
  excessive_bandwidth: (p) => sql`
    with s as (${samplesIn("excessive_bandwidth", p)})
    select user_id as "userId", ${iso(sql`min(win_start)`)} as "windowStart", jsonb_build_object(
      'totalBytes', sum(bytes_up + bytes_down), 'bytesUp', sum(bytes_up), 'bytesDown', sum(bytes_down),
      'samples', count(*), 'peerCount', count(distinct peer_id),
      'peerIds', (array_agg(distinct peer_id))[1:${CAP}], 'serverIds', (array_agg(distinct server_id))[1:${CAP}]) as facts
    from s group by user_id
    having sum(bytes_up + bytes_down) ${op("excessive_bandwidth")} ${p.thresholds.bandwidthBytesPerDay}::numeric`,

  // Sessions started per user in the last hour.
  rapid_reconnects: (p) => sql`
    with s as (${sessionsIn("rapid_reconnects", p)})
    select user_id as "userId", ${iso(sql`min(win_start)`)} as "windowStart", jsonb_build_object(
      'sessionsStarted', count(*),
      'sessionIds', (array_agg(id order by started_at desc))[1:${CAP}],
      'clientIps', coalesce((array_agg(distinct client_ip) filter (where client_ip is not null))[1:${CAP}], '{}'),
      'clientIpCount', count(distinct client_ip), 'peerCount', count(distinct peer_id), 'serverCount', count(distinct server_id),
      'firstStartedAt', ${iso(sql`min(started_at)`)}, 'lastStartedAt', ${iso(sql`max(started_at)`)}) as facts
    from s where started_at > win_start group by user_id
    having count(*) ${op("rapid_reconnects")} ${p.thresholds.reconnectsPerHour}::int`,

  // Peak number of sessions open at the same instant within the last hour (a sweep over start/end events),
  // with the sessions and client IPs open at that instant.
  concurrent_connections: (p) => sql`
    with s as (${sessionsIn("concurrent_connections", p)}),
    ev as (
      select user_id, started_at as t, 1 as d from s
      union all
      select user_id, ended as t, -1 as d from s
    ),
    running as (
      -- Starts before ends at the same instant: sessions touching end to start count as overlapping.
      select user_id, t, sum(d) over (partition by user_id order by t, d desc rows between unbounded preceding and current row) as open
      from ev
    ),
    peak as (
      select distinct on (user_id) user_id, t, open from running order by user_id, open desc, t
    )
    select pk.user_id as "userId", ${iso(sql`min(s.win_start)`)} as "windowStart", jsonb_build_object(
      'peakConcurrent', pk.open, 'peakAt', ${iso(sql`greatest(pk.t, min(s.win_start))`)},
      'sessionIds', (array_agg(s.id order by s.started_at))[1:${CAP}],
      'clientIps', coalesce((array_agg(distinct s.client_ip) filter (where s.client_ip is not null))[1:${CAP}], '{}'),
      'clientIpCount', count(distinct s.client_ip),
      'serverIds', (array_agg(distinct s.server_id))[1:${CAP}]) as facts
    from peak pk join s on s.user_id = pk.user_id and s.started_at <= pk.t and s.ended >= pk.t
    where pk.open ${op("concurrent_connections")} ${p.thresholds.maxConcurrent}::int
    group by pk.user_id, pk.t, pk.open`,

  // Up/down over 24 h, only over the minimum volume; one direction only counts as an infinite ratio.
  suspicious_traffic_pattern: (p) => sql`
    with s as (${samplesIn("suspicious_traffic_pattern", p)}),
    t as (
      select user_id, min(win_start) as win_start, sum(bytes_up) as up, sum(bytes_down) as down, count(*) as n
      from s group by user_id
    )
    select user_id as "userId", ${iso(sql`win_start`)} as "windowStart", jsonb_build_object(
      'bytesUp', up, 'bytesDown', down, 'totalBytes', up + down, 'samples', n) as facts
    from t
    where up + down >= ${p.thresholds.trafficMinBytes}::numeric
      and greatest(up, down)::float8 ${op("suspicious_traffic_pattern")} ${p.thresholds.trafficRatio}::float8 * least(up, down)::float8`,

  // Distinct client IPs of sessions and samples in the last hour.
  account_sharing: (p) => sql`
    with ses as (${sessionsIn("account_sharing", p)}),
    smp as (${samplesIn("account_sharing", p)}),
    ips as (
      select user_id, client_ip, id as session_id, win_start from ses where client_ip is not null
      union all
      select user_id, client_ip, null, win_start from smp where client_ip is not null
    )
    select user_id as "userId", ${iso(sql`min(win_start)`)} as "windowStart", jsonb_build_object(
      'distinctIps', count(distinct client_ip),
      'clientIps', (array_agg(distinct client_ip))[1:${CAP}],
      'sessionIds', coalesce((array_agg(distinct session_id) filter (where session_id is not null))[1:${CAP}], '{}'),
      'sessionCount', count(distinct session_id), 'sampleCount', count(*) filter (where session_id is null)) as facts
    from ips group by user_id
    having count(distinct client_ip) ${op("account_sharing")} ${p.thresholds.sharingIps}::int`,
};

export async function detect(db: DbOrTx, type: IncidentType, p: DetectorParams): Promise<DetectorRow[]> {
  return rows<DetectorRow>(db, QUERIES[type](p));
}

/** Users with any telemetry (a sample, or a session overlapping) in the widest window, 24 h: what a scan looks at. */
function usersWithTelemetryQuery(p: Pick<DetectorParams, "now" | "userId">) {
  const start = new Date(p.now.getTime() - 24 * HOUR_MS);
  return sql`
    select ts.user_id from traffic_samples ts
    where ts.sampled_at > ${at(start)} and ts.sampled_at <= ${at(p.now)} ${onlyUser(sql`ts.user_id`, p.userId)}
    union
    select cs.user_id from connection_sessions cs
    where ${overlapCandidates(start)} and cs.started_at <= ${at(p.now)} and ${sessionEnd(p.now)} >= ${at(start)}
      ${onlyUser(sql`cs.user_id`, p.userId)}`;
}

export async function countUsersWithTelemetry(db: DbOrTx, p: Pick<DetectorParams, "now" | "userId">): Promise<number> {
  const [r] = await rows<{ n: number | string }>(db, sql`select count(*)::int as n from (${usersWithTelemetryQuery(p)}) u`);
  return Number(r?.n ?? 0);
}

/** The same users, listed: the benchmark's per-user baseline (bench/abuse-baseline.ts) loops over them. */
export async function listUsersWithTelemetry(db: DbOrTx, p: Pick<DetectorParams, "now">): Promise<string[]> {
  const found = await rows<{ user_id: string }>(db, sql`select user_id from (${usersWithTelemetryQuery(p)}) u order by user_id`);
  return found.map((r) => r.user_id);
}
