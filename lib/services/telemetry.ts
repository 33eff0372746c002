import "server-only";
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { AppError } from "@/lib/errors";
import { parseWgDump, type DumpPeer, type DumpRtt } from "@/lib/wireguard/dump";
import { newKeySeenCondition, retirePreviousKeys } from "./previous-keys";

/** A handshake this recent means the tunnel is up (WireGuard re-handshakes every 2 minutes while in use). */
export const SESSION_RECENT_SECONDS = 180;
/** A push whose exact content arrived this recently is a replay. */
export const REPLAY_WINDOW_MINUTES = 10;

export interface IngestResult {
  peers: number;
  unknown: number;
  replay: boolean;
}

/**
 * Security note: the interface line carries the server's private key unless
 * the agent blanked it. It is dropped by the parser and never stored or
 * logged; the replay digest is taken over the peer lines only.
 */
function digestOf(peers: DumpPeer[]): string {
  const h = createHash("sha256");
  for (const p of peers) h.update(`${p.publicKey}\t${p.endpoint}\t${p.latestHandshake}\t${p.rx}\t${p.tx}\n`);
  return h.digest("base64url");
}

/**
 * Every key the server may report for a device: its current key and, during
 * a rotation's grace, its previous one. One row per key whatever the state of
 * the data: peer_public_keys keeps a key to one device, and should an old key
 * still equal a current one (a database restored from before that rule), the
 * current key wins, so that one device can never make a whole push fail.
 */
function keysOf(serverId: string) {
  return sql`(select public_key as k, id as peer_id, user_id from wireguard_peers where server_id = ${serverId}
    union all
    select pk.public_key, pk.peer_id, p.user_id from peer_previous_keys pk join wireguard_peers p on p.id = pk.peer_id
    where pk.server_id = ${serverId} and pk.retired_at is null
      and not exists (select 1 from wireguard_peers w where w.public_key = pk.public_key))`;
}

/** A PostgreSQL array literal (every element quoted), passed as one text parameter. */
function pgArray(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/**
 * The dump as a relation. `unnest` of arrays rather than `jsonb_to_recordset`:
 * the planner knows how many rows an array holds (it guesses 100 for a JSON
 * function), and a 10,000-row input planned as 100 rows gave nested loops
 * that took 15 s (docs/perf/before-ingest-no-stats.md).
 */
function inputOf(peers: DumpPeer[]) {
  return sql`unnest(
    ${pgArray(peers.map((p) => p.publicKey))}::text[], ${pgArray(peers.map((p) => p.endpoint))}::text[],
    ${pgArray(peers.map((p) => p.endpointIp))}::text[], ${pgArray(peers.map((p) => p.latestHandshake ?? 0))}::bigint[],
    ${pgArray(peers.map((p) => p.rx))}::bigint[], ${pgArray(peers.map((p) => p.tx))}::bigint[]) as i(k, ep, ip, hs, rx, tx)`;
}

type NewSession = { peer_id: string; user_id: string; ip: string | null; hs: number; d_up: number; d_down: number };

/**
 * The agent's push: counters → deltas, samples, sessions, heartbeat, in a
 * fixed number of set-based statements whatever the peer count
 * (docs/decisions/004): one claims the push (heartbeat and replay digest,
 * under the server row's lock, so pushes of one server apply in turn), one
 * applies it, and only when needed one opens sessions and one retires old
 * keys.
 */
export async function ingestDump(serverId: string, body: string, now: Date = new Date()): Promise<IngestResult> {
  const parsed = parseWgDump(body, now);
  if (!parsed.ok) {
    throw new AppError("validation_error", `Malformed wg dump at line ${parsed.line}: ${parsed.reason}`, [{ path: `line ${parsed.line}`, message: parsed.reason }]);
  }
  const db = await getDb();
  const digest = digestOf(parsed.peers);
  const at = sql`${now.toISOString()}::timestamptz`;
  const input = inputOf(parsed.peers);

  return db.transaction(async (tx) => {
    // The push's CTEs are estimated far above their real size, which would
    // make PostgreSQL compile the statement to machine code first: ~60 ms of
    // JIT for a statement that runs in a few hundred (docs/decisions/009).
    await tx.execute(sql`set local jit = off`);
    const [claim] = await rows<{ fresh: boolean }>(
      tx,
      sql`with heartbeat as (update vpn_servers set last_heartbeat_at = ${at} where id = ${serverId} returning id),
          claimed as (
            insert into agent_pushes (server_id, digest, received_at) values (${serverId}, ${digest}, ${at})
            on conflict (server_id, digest) do update set received_at = excluded.received_at
              where agent_pushes.received_at < ${at} - make_interval(mins => ${REPLAY_WINDOW_MINUTES})
            returning 1)
          select exists (select 1 from claimed) as fresh`,
    );
    if (!claim?.fresh) {
      const [{ known }] = await rows<{ known: number }>(tx, sql`select count(*)::int as known from ${input} join ${keysOf(serverId)} p on p.k = i.k`);
      return { peers: parsed.peers.length, unknown: parsed.peers.length - Number(known), replay: true };
    }
    const [applied] = await rows<{ known: number; pending: boolean; opened: NewSession[] | string }>(tx, applyPush(serverId, input, at));
    const opened = typeof applied!.opened === "string" ? (JSON.parse(applied!.opened) as NewSession[]) : applied!.opened;
    if (opened.length > 0) await openSessions(tx, serverId, opened, at);
    if (parsed.rtts.length > 0) await recordRtts(tx, serverId, parsed.rtts, at);
    // A rotated device whose new key has now shaken hands no longer needs its old key.
    if (applied!.pending) await retirePreviousKeys(tx, newKeySeenCondition(serverId), "handshake", now);
    return { peers: parsed.peers.length, unknown: parsed.peers.length - Number(applied!.known), replay: false };
  });
}

/**
 * One statement for the whole push. Deltas: a counter below the last one
 * seen means the interface restarted, so count from zero, never a negative
 * delta. Rows that would not change are not rewritten. Sessions: an open
 * session goes on (and takes this push's traffic) while its peer's latest
 * handshake is recent and from the same client address; otherwise it ends
 * at its last sighting. Answers the peers whose session must (re)open (recent
 * ones whose open session did not go on): the next statement inserts them,
 * once the ended ones are closed.
 */
function applyPush(serverId: string, input: SQL, at: SQL): SQL {
  return sql`
    with keyed as materialized (
      select p.peer_id, p.user_id, i.k, i.ep, i.ip, i.hs, i.rx, i.tx, c.rx as c_rx, c.tx as c_tx,
        c.last_handshake_at as c_hs, c.server_id as c_server,
        case when c.rx is null or i.rx < c.rx then i.rx else i.rx - c.rx end as d_up,
        case when c.tx is null or i.tx < c.tx then i.tx else i.tx - c.tx end as d_down
      from ${input} join ${keysOf(serverId)} p on p.k = i.k
      left join peer_counters c on c.public_key = i.k
    ), counters_new as (
      insert into peer_counters (public_key, server_id, rx, tx, last_handshake_at, updated_at)
      select k, ${serverId}, rx, tx, case when hs > 0 then to_timestamp(hs) end, ${at} from keyed where c_rx is null
      on conflict (public_key) do update set rx = excluded.rx, tx = excluded.tx, server_id = excluded.server_id,
        last_handshake_at = coalesce(excluded.last_handshake_at, peer_counters.last_handshake_at), updated_at = excluded.updated_at
    ), counters_seen as (
      update peer_counters c set rx = k.rx, tx = k.tx, server_id = ${serverId},
        last_handshake_at = coalesce(case when k.hs > 0 then to_timestamp(k.hs) end, c.last_handshake_at), updated_at = ${at}
      from keyed k
      where c.public_key = k.k and k.c_rx is not null
        and (k.rx <> k.c_rx or k.tx <> k.c_tx or k.c_server <> ${serverId}
          or (k.hs > 0 and to_timestamp(k.hs) is distinct from k.c_hs))
    ), agg as materialized (
      select peer_id, min(user_id) as user_id, sum(d_up) as d_up, sum(d_down) as d_down, max(hs) as hs,
        (array_agg(ep order by hs desc))[1] as ep, (array_agg(ip order by hs desc))[1] as ip
      from keyed group by peer_id
    ), live as (
      -- The narrow per-device row (created with the device), not the wide device row (docs/decisions/011).
      update peer_live_stats l set
        bytes_sent = l.bytes_sent + d.d_up,
        bytes_received = l.bytes_received + d.d_down,
        last_handshake_at = case when d.hs > 0 then greatest(coalesce(l.last_handshake_at, to_timestamp(0)), to_timestamp(d.hs)) else l.last_handshake_at end,
        endpoint = coalesce(d.ep, l.endpoint)
      from agg d
      where l.peer_id = d.peer_id
        and (d.d_up <> 0 or d.d_down <> 0 or (d.ep is not null and d.ep is distinct from l.endpoint)
          or (d.hs > 0 and (l.last_handshake_at is null or to_timestamp(d.hs) > l.last_handshake_at)))
    ), samples as (
      insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down, client_ip)
      select peer_id, user_id, ${serverId}, ${at}, d_up, d_down, ip from agg where d_up > 0 or d_down > 0
    ), cur as (
      select peer_id, user_id, ip, hs, d_up, d_down,
        (hs > 0 and to_timestamp(hs) >= ${at} - make_interval(secs => ${SESSION_RECENT_SECONDS})) as recent
      from agg
    ), ended as (
      -- NOT IN over a hashed subplan and, below, lookups by the open-session index: plans that stay
      -- linear whatever the planner guesses about a freshly loaded server (docs/perf/ingest.md).
      update connection_sessions s set ended_at = s.last_seen_at
      where s.server_id = ${serverId} and s.ended_at is null
        and (s.peer_id, coalesce(s.client_ip, '')) not in (select peer_id, coalesce(ip, '') from cur where recent)
    ), continued as (
      update connection_sessions s set last_seen_at = ${at}, bytes_up = s.bytes_up + c.d_up, bytes_down = s.bytes_down + c.d_down
      from cur c
      where c.recent and s.peer_id = c.peer_id and s.ended_at is null and s.client_ip is not distinct from c.ip
      returning s.peer_id
    )
    select (select count(*)::int from keyed) as known,
      exists (select 1 from peer_previous_keys where server_id = ${serverId} and retired_at is null) as pending,
      (select coalesce(json_agg(json_build_object('peer_id', c.peer_id, 'user_id', c.user_id, 'ip', c.ip, 'hs', c.hs, 'd_up', c.d_up, 'd_down', c.d_down)), '[]')
       from cur c
       where c.recent and c.peer_id not in (select peer_id from continued)) as opened`;
}

/**
 * A handshake that just became recent (or a client that moved) starts a
 * session. Whether it is on another server than the user's previous session
 * is settled now, so the user statistics count switches without ordering the
 * whole history: every session of one push is on this server, so only a
 * user's earliest of them can be a switch, and for that one a probe of the
 * (user, start) index finds the previous session.
 */
async function openSessions(tx: DbOrTx, serverId: string, opened: NewSession[], at: SQL) {
  await tx.execute(sql`
    insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, bytes_up, bytes_down, switched_server)
    select n.peer_id, n.user_id, ${serverId}, n.ip, n.started_at, ${at}, n.d_up, n.d_down,
      n.first_of_user and coalesce((select prev.server_id <> ${serverId} from connection_sessions prev
                where prev.user_id = n.user_id order by prev.started_at desc limit 1), false)
    from (select r.*, least(to_timestamp(r.hs), ${at}) as started_at,
            row_number() over (partition by r.user_id order by r.hs, r.peer_id) = 1 as first_of_user
          from jsonb_to_recordset(${JSON.stringify(opened)}::jsonb) as r(peer_id text, user_id text, ip text, hs bigint, d_up bigint, d_down bigint)) n
    on conflict do nothing`);
}

/**
 * The round trips the agent measured: one sample per device (of its current
 * or grace key, the lower one) and its live figure, in one statement.
 */
async function recordRtts(tx: DbOrTx, serverId: string, rtts: DumpRtt[], at: SQL) {
  await tx.execute(sql`
    with m as (
      select distinct on (p.peer_id) p.peer_id, p.user_id, i.ms
      from unnest(${pgArray(rtts.map((r) => r.publicKey))}::text[], ${pgArray(rtts.map((r) => r.rttMs))}::float8[]) as i(k, ms)
      join ${keysOf(serverId)} p on p.k = i.k
      order by p.peer_id, i.ms
    ), live as (
      update peer_live_stats l set latency_ms = m.ms, latency_at = ${at} from m where l.peer_id = m.peer_id
    )
    insert into latency_samples (peer_id, user_id, server_id, sampled_at, rtt_ms)
    select peer_id, user_id, ${serverId}, ${at}, ms from m`);
}

/** Sessions of servers that stopped pushing end once their last sighting is stale; old samples and digests go. */
export async function sweepTelemetry(now: Date = new Date(), retentionDays: number): Promise<{ closed: number; pruned: number }> {
  const db = await getDb();
  const at = now.toISOString();
  const closed = await rows(
    db,
    sql`update connection_sessions set ended_at = last_seen_at
        where ended_at is null and last_seen_at < ${at}::timestamptz - make_interval(secs => ${SESSION_RECENT_SECONDS}) returning id`,
  );
  const pruned = await rows(
    db,
    sql`delete from traffic_samples where sampled_at < ${at}::timestamptz - make_interval(days => ${retentionDays}) returning id`,
  );
  await db.execute(sql`delete from latency_samples where sampled_at < ${at}::timestamptz - make_interval(days => ${retentionDays})`);
  await db.execute(sql`delete from agent_pushes where received_at < ${at}::timestamptz - make_interval(mins => ${REPLAY_WINDOW_MINUTES * 2})`);
  return { closed: closed.length, pruned: pruned.length };
}
