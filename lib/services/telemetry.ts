import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseWgDump, type DumpPeer } from "@/lib/wireguard/dump";
import { newKeySeenCondition, retirePreviousKeys } from "./rotation";

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

/** Every key the server may report for a device: its current key and, during a rotation's grace, its previous one. */
function keysOf(serverId: string) {
  return sql`(select public_key as k, id as peer_id, user_id from wireguard_peers where server_id = ${serverId}
    union all
    select pk.public_key, pk.peer_id, p.user_id from peer_previous_keys pk join wireguard_peers p on p.id = pk.peer_id
    where pk.server_id = ${serverId} and pk.retired_at is null)`;
}

/** The agent's push: counters → deltas, samples, sessions, heartbeat — a fixed number of set-based statements, whatever the peer count. */
export async function ingestDump(serverId: string, body: string, now: Date = new Date()): Promise<IngestResult> {
  const parsed = parseWgDump(body);
  if (!parsed.ok) {
    throw new AppError("validation_error", `Malformed wg dump at line ${parsed.line}: ${parsed.reason}`, [{ path: `line ${parsed.line}`, message: parsed.reason }]);
  }
  const db = await getDb();
  const digest = digestOf(parsed.peers);
  const input = JSON.stringify(
    parsed.peers.map((p) => ({ k: p.publicKey, ep: p.endpoint, ip: p.endpointIp, hs: p.latestHandshake ?? 0, rx: p.rx, tx: p.tx })),
  );
  const at = now.toISOString();

  return db.transaction(async (tx) => {
    await tx.update(vpnServers).set({ lastHeartbeatAt: now }).where(eq(vpnServers.id, serverId));
    const seen = await rows<{ fresh: boolean }>(
      tx,
      sql`insert into agent_pushes (server_id, digest, received_at) values (${serverId}, ${digest}, ${at}::timestamptz)
          on conflict (server_id, digest) do update set received_at = excluded.received_at
            where agent_pushes.received_at < ${at}::timestamptz - make_interval(mins => ${REPLAY_WINDOW_MINUTES})
          returning true as fresh`,
    );
    const [{ known }] = await rows<{ known: number }>(
      tx,
      sql`select count(*)::int as known from jsonb_to_recordset(${input}::jsonb) as i(k text)
          join ${keysOf(serverId)} p on p.k = i.k`,
    );
    const result = { peers: parsed.peers.length, unknown: parsed.peers.length - Number(known), replay: seen.length === 0 };
    if (result.replay) return result;

    await applyCounters(tx, serverId, input, at);
    await applySessions(tx, serverId, input, at);
    // A rotated device whose new key has now shaken hands no longer needs its old key.
    await retirePreviousKeys(tx, newKeySeenCondition(serverId), "handshake", now);
    return result;
  });
}

async function applyCounters(tx: DbOrTx, serverId: string, input: string, at: string) {
  // A counter below the last one seen means the interface restarted: count from zero, never a negative delta.
  await tx.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as i(k text, ep text, ip text, hs bigint, rx bigint, tx bigint)
    ), deltas as (
      select p.peer_id, p.user_id, i.*,
        case when c.rx is null or i.rx < c.rx then i.rx else i.rx - c.rx end as d_up,
        case when c.tx is null or i.tx < c.tx then i.tx else i.tx - c.tx end as d_down
      from input i
      join ${keysOf(serverId)} p on p.k = i.k
      left join peer_counters c on c.public_key = i.k
    ), counters as (
      insert into peer_counters (public_key, server_id, rx, tx, last_handshake_at, updated_at)
      select k, ${serverId}, rx, tx, case when hs > 0 then to_timestamp(hs) end, ${at}::timestamptz from deltas
      on conflict (public_key) do update set rx = excluded.rx, tx = excluded.tx, server_id = excluded.server_id,
        last_handshake_at = coalesce(excluded.last_handshake_at, peer_counters.last_handshake_at), updated_at = excluded.updated_at
    ), peers as (
      update wireguard_peers p set
        bytes_sent = p.bytes_sent + d.d_up,
        bytes_received = p.bytes_received + d.d_down,
        last_handshake_at = case when d.hs > 0 then greatest(coalesce(p.last_handshake_at, to_timestamp(0)), to_timestamp(d.hs)) else p.last_handshake_at end,
        endpoint = coalesce(d.ep, p.endpoint)
      from (select peer_id, sum(d_up) as d_up, sum(d_down) as d_down, max(hs) as hs, (array_agg(ep order by hs desc))[1] as ep from deltas group by peer_id) d
      where p.id = d.peer_id
    )
    insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down, client_ip)
    select peer_id, min(user_id), ${serverId}, ${at}::timestamptz, sum(d_up), sum(d_down), (array_agg(ip order by hs desc))[1] from deltas
    group by peer_id having sum(d_up) > 0 or sum(d_down) > 0`);
}

async function applySessions(tx: DbOrTx, serverId: string, input: string, at: string) {
  const current = sql`
    select distinct on (p.peer_id) p.peer_id, p.user_id, i.ip, i.hs,
      (i.hs > 0 and to_timestamp(i.hs) >= ${at}::timestamptz - make_interval(secs => ${SESSION_RECENT_SECONDS})) as recent
    from jsonb_to_recordset(${input}::jsonb) as i(k text, ip text, hs bigint)
    join ${keysOf(serverId)} p on p.k = i.k
    order by p.peer_id, i.hs desc`;
  const pushBytes = sql`select peer_id, bytes_up, bytes_down from traffic_samples where server_id = ${serverId} and sampled_at = ${at}::timestamptz`;

  // End sessions whose handshake went stale, whose peer left the interface, or whose client moved to another address.
  await tx.execute(sql`
    with cur as (${current})
    update connection_sessions s set ended_at = s.last_seen_at
    where s.server_id = ${serverId} and s.ended_at is null
      and not exists (select 1 from cur where cur.peer_id = s.peer_id and cur.recent and cur.ip is not distinct from s.client_ip)`);
  // Sessions that go on take this push's traffic.
  await tx.execute(sql`
    with cur as (${current}), b as (${pushBytes})
    update connection_sessions s set last_seen_at = ${at}::timestamptz,
      bytes_up = s.bytes_up + coalesce(b.bytes_up, 0), bytes_down = s.bytes_down + coalesce(b.bytes_down, 0)
    from cur left join b on b.peer_id = cur.peer_id
    where s.peer_id = cur.peer_id and s.ended_at is null and cur.recent`);
  // A handshake that just became recent starts a session.
  await tx.execute(sql`
    with cur as (${current}), b as (${pushBytes})
    insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, bytes_up, bytes_down)
    select cur.peer_id, cur.user_id, ${serverId}, cur.ip, least(to_timestamp(cur.hs), ${at}::timestamptz), ${at}::timestamptz,
      coalesce(b.bytes_up, 0), coalesce(b.bytes_down, 0)
    from cur left join b on b.peer_id = cur.peer_id
    where cur.recent and not exists (select 1 from connection_sessions s where s.peer_id = cur.peer_id and s.ended_at is null)
    on conflict do nothing`);
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
  await db.execute(sql`delete from agent_pushes where received_at < ${at}::timestamptz - make_interval(mins => ${REPLAY_WINDOW_MINUTES * 2})`);
  return { closed: closed.length, pruned: pruned.length };
}
