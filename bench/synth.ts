import { sql } from "drizzle-orm";
import { getDb, rows, type Db } from "@/db/client";
import { vpnServers, wireguardPeers, ipLeases, peerLiveStats } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { hashPassword } from "@/lib/auth/password";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import { createServer } from "@/lib/services/servers";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";

/**
 * Realistic synthetic history for demos and benchmarks: accounts with plans
 * and renewals, devices on servers, sessions with an evening peak, traffic,
 * tickets. Values come from hashes of ids, so a run is repeatable; every bulk
 * step is one set-based statement (or key generation in batches).
 */
export type Progress = (step: string, done: number, total: number) => void;
const noop: Progress = () => {};

/** Progress lines on stderr, each once, with the seconds since `started`. */
export function stderrProgress(started = Date.now(), prefix = ""): Progress {
  let last = "";
  return (step, done, total) => {
    const line = `${step}: ${done}/${total}`;
    if (line !== last) console.error(`${prefix}[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
    last = line;
  };
}

const DAY = 86_400_000;
const SYNTH_DOMAIN = "synth.securewave.test";
const KEY_BATCH = 2000;

/** Servers with /16 pools (65,533 devices each), created once and reused. */
async function synthServers(db: Db, needed: number): Promise<{ id: string; ipv4Pool: string; ipv6Pool: string; next: number; capacity: number }[]> {
  const count = Math.max(2, Math.ceil(needed / 60_000));
  for (let i = 1; i <= count; i++) {
    const name = `Synth ${i}`;
    const [exists] = await rows(db, sql`select 1 from vpn_servers where name = ${name}`);
    if (exists) continue;
    await createServer(
      { kind: "system", job: "synth" },
      { name, region: ["eu-central", "us-east", "ap-southeast", "eu-west"][i % 4]!, endpointHost: `synth${i}.vpn.securewave.test`, endpointPort: 51820, ipv4Pool: `10.${100 + i}.0.0/16`, ipv6Pool: `fd42:${100 + i}::/64`, dns: "1.1.1.1", mtu: null },
    );
  }
  return rows(db, sql`select id, ipv4_pool as "ipv4Pool", ipv6_pool as "ipv6Pool", next_host_index as next, capacity from vpn_servers where name like 'Synth %' order by name`);
}

/** Accounts synth-<tag>-<n>@synth.securewave.test with one subscription each; returns their ids. */
export async function synthUsers(n: number, days: number, progress: Progress = noop): Promise<string[]> {
  const db = await getDb();
  const tag = Date.now().toString(36);
  const hash = await hashPassword("synthetic-user-password");
  progress("users", 0, n);
  const ids = await rows<{ id: string }>(
    db,
    sql`insert into users (email, name, password_hash, role, created_at, last_login_at)
        select 'synth-' || ${tag} || '-' || i || '@' || ${SYNTH_DOMAIN}, 'Synthetic ' || i, ${hash}, 'user',
          now() - make_interval(days => ${days}::int + (abs(hashtext(${tag} || i)) % 365)),
          now() - make_interval(hours => abs(hashtext(${tag} || i || 'l')) % (24 * ${days}::int))
        from generate_series(1, ${n}) i
        returning id`,
  );
  await db.execute(sql`
    insert into subscriptions (user_id, plan_id, status, price_cents, started_at, renewed_at, cancelled_at, renewals)
    select u.id, x.plan, case when x.r < 5 then 'cancelled' when x.r < 7 then 'past_due' else 'active' end,
      pl.price_cents, u.created_at,
      case when x.months > 0 then u.created_at + make_interval(months => x.months) end,
      case when x.r < 5 then now() - make_interval(days => x.r * 5) end,
      case when pl.price_cents > 0 then x.months else 0 end
    from users u
    cross join lateral (select abs(hashtext(u.id)) % 100 as r,
      case when abs(hashtext(u.id || 'p')) % 100 < 70 then 'free' when abs(hashtext(u.id || 'p')) % 100 < 90 then 'basic' else 'premium' end as plan,
      floor(extract(epoch from now() - u.created_at) / (30 * 86400))::int as months) x
    join plans pl on pl.id = x.plan
    where u.email like ${"synth-" + tag + "-%"}`);
  progress("users", n, n);
  return ids.map((r) => r.id);
}

/** One to three devices per user with real keys (sealed), addresses handed out in bulk. */
async function synthDevices(db: Db, userIds: string[], progress: Progress, maxPerUser = 3): Promise<number> {
  const env = getEnv();
  const plan: { userId: string; type: string; name: string }[] = [];
  const types = ["ios", "android", "windows", "macos", "linux"];
  for (const [i, userId] of userIds.entries()) {
    const count = Math.min(maxPerUser, 1 + (i % 5 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
    for (let d = 0; d < count; d++) plan.push({ userId, type: types[(i + d) % types.length]!, name: ["Phone", "Laptop", "Tablet"][d]! });
  }
  const servers = await synthServers(db, plan.length);
  let s = 0;
  for (let start = 0; start < plan.length; start += KEY_BATCH) {
    const batch = plan.slice(start, start + KEY_BATCH);
    const peers: (typeof wireguardPeers.$inferInsert)[] = [];
    const leases: (typeof ipLeases.$inferInsert)[] = [];
    for (const p of batch) {
      while (servers[s]!.next >= servers[s]!.capacity) s = (s + 1) % servers.length;
      const server = servers[s]!;
      const hostIndex = server.next++;
      s = (s + 1) % servers.length;
      const keys = generateKeyPair();
      const id = crypto.randomUUID();
      const now = Date.now();
      const age = (hashOf(id) % 120) * DAY;
      peers.push({
        id, userId: p.userId, serverId: server.id, deviceName: p.name, deviceType: p.type as never,
        publicKey: keys.publicKey, privateKeySealed: seal(keys.privateKey), presharedKeySealed: seal(generatePresharedKey()),
        hostIndex, ...peerAddresses(server.ipv4Pool, server.ipv6Pool, hostIndex),
        rotationIntervalDays: env.DEFAULT_KEY_ROTATION_DAYS, lastKeyRotationAt: new Date(now - age),
        nextKeyRotationAt: new Date(now - age + env.DEFAULT_KEY_ROTATION_DAYS * DAY), createdAt: new Date(now - age),
      });
      leases.push({ serverId: server.id, hostIndex, peerId: id });
    }
    await db.transaction(async (tx) => {
      await tx.insert(wireguardPeers).values(peers);
      await tx.insert(peerLiveStats).values(peers.map((p) => ({ peerId: p.id! })));
      await tx.insert(ipLeases).values(leases);
    });
    progress("devices", Math.min(start + KEY_BATCH, plan.length), plan.length);
  }
  for (const server of servers) {
    await db.update(vpnServers).set({ nextHostIndex: server.next, configVersion: sql`${vpnServers.configVersion} + 1` }).where(sql`${vpnServers.id} = ${server.id}`);
  }
  return plan.length;
}

/** The ids as a derived table: one parameter, whatever the count (a temporary table would be per connection). */
function idSet(ids: string[]) {
  return sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as id)`;
}

function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Sessions for every active device of the given users over the last `days`
 * days (0-3 a day, most starting in the evening), one traffic sample per
 * session, a few sessions open right now, and the devices' totals.
 */
async function synthSessions(db: Db, userIds: string[], days: number, progress: Progress): Promise<number> {
  progress("sessions", 0, days);
  const synthUsers = idSet(userIds);
  let total = 0;
  for (let d = days; d >= 1; d--) {
    // One statement per day keeps each transaction bounded (and shows progress).
    const inserted = await rows<{ n: number }>(
      db,
      sql`with spec as (
            select p.id as peer_id, p.user_id, p.server_id, k,
              abs(hashtext(p.id || ${d} || k)) as h
            from wireguard_peers p join ${synthUsers} su on su.id = p.user_id
            cross join lateral generate_series(1, abs(hashtext(p.id || ${d})) % 4) k
            where p.status = 'active'
          ), timed as (
            select *, date_trunc('day', now() - make_interval(days => ${d}::int))
                + make_interval(hours => case when h % 10 < 6 then 17 + (h / 10) % 6 else (h / 10) % 24 end, mins => (h / 7) % 60) as started,
              make_interval(mins => 5 + (h / 13) % 175) as dur,
              (2000 + (h / 17) % 200000)::bigint as rate
            from spec
          ), ins as (
            insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, ended_at, bytes_up, bytes_down)
            select peer_id, user_id, server_id,
              '198.51.' || (abs(hashtext(user_id)) % 200) || '.' || (1 + (h / 3) % 3),
              started, started + dur, started + dur,
              (rate * extract(epoch from dur) * (0.12 + ((h / 19) % 28) / 100.0))::bigint, (rate * extract(epoch from dur))::bigint
            from timed
            returning peer_id, user_id, server_id, client_ip, ended_at, bytes_up, bytes_down
          ), samples as (
            insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down, client_ip)
            select peer_id, user_id, server_id, ended_at, bytes_up, bytes_down, client_ip from ins
          )
          select count(*)::int as n from ins`,
    );
    total += Number(inserted[0]?.n ?? 0);
    progress("sessions", days - d + 1, days);
  }
  // About one device in twelve is connected right now.
  await db.execute(sql`
    insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, bytes_up, bytes_down)
    select p.id, p.user_id, p.server_id, '198.51.' || (abs(hashtext(p.user_id)) % 200) || '.1',
      now() - make_interval(mins => 1 + abs(hashtext(p.id)) % 90), now(), 0, 0
    from wireguard_peers p join ${synthUsers} su on su.id = p.user_id
    where p.status = 'active' and abs(hashtext(p.id || 'now')) % 12 = 0
    on conflict do nothing`);
  // Sessions on another server than the user's previous one, as the agent's push marks them.
  await db.execute(sql`
    update connection_sessions s set switched_server = true
    from (select id, server_id <> lag(server_id) over (partition by user_id order by started_at) as switched
          from connection_sessions where user_id in (select su.id from ${synthUsers} su)) x
    where x.id = s.id and x.switched`);
  await db.execute(sql`
    update peer_live_stats l set bytes_sent = t.up, bytes_received = t.down, last_handshake_at = t.last, endpoint = t.ip || ':51820'
    from (select s.peer_id, sum(s.bytes_up) as up, sum(s.bytes_down) as down, max(s.last_seen_at) as last, max(s.client_ip) as ip
          from connection_sessions s join ${synthUsers} su on su.id = s.user_id group by s.peer_id) t
    where l.peer_id = t.peer_id`);
  return total;
}

/** A ticket for about one user in eight, in every state, numbered per month like real ones. */
async function synthTickets(db: Db, userIds: string[], days: number): Promise<number> {
  const env = getEnv();
  const synthUsers = idSet(userIds);
  const hours = (p: string, kind: "RESPONSE" | "RESOLUTION") => Number(env[`SLA_${p}_${kind}` as keyof typeof env]);
  const created = await rows<{ n: number }>(
    db,
    sql`with src as (
          select su.id as user_id, now() - make_interval(hours => abs(hashtext(su.id || 't')) % (24 * ${days}::int)) as created,
            (array['technical','billing','account','vpn_connection','feature_request','bug_report','other'])[1 + abs(hashtext(su.id || 'c')) % 7] as category,
            (array['low','medium','medium','high','urgent'])[1 + abs(hashtext(su.id || 'p')) % 5] as priority,
            (array['open','in_progress','waiting_user','waiting_support','resolved','closed','resolved'])[1 + abs(hashtext(su.id || 's')) % 7] as status
          from ${synthUsers} su where abs(hashtext(su.id || 'ticket')) % 8 = 0
        ), numbered as (
          select *, to_char(created at time zone 'UTC', 'YYYYMM') as month,
            row_number() over (partition by to_char(created at time zone 'UTC', 'YYYYMM') order by created) as seq
          from src
        ), base as (
          select coalesce((select last from ticket_counters c where c.month = n.month), 0) as offset_n, n.* from numbered n
        ), ins as (
          insert into support_tickets (ticket_number, user_id, subject, description, category, priority, status,
            sla_response_due_at, sla_due_at, first_response_at, resolved_at, closed_at, sla_paused_at, created_at, updated_at)
          select 'TKT-' || month || '-' || lpad((offset_n + seq)::text, 5, '0'), user_id,
            'Synthetic ' || replace(category, '_', ' ') || ' question', 'Generated for demos and benchmarks.', category, priority, status,
            created + make_interval(hours => case priority when 'low' then ${hours("LOW", "RESPONSE")}::int when 'medium' then ${hours("MEDIUM", "RESPONSE")}::int when 'high' then ${hours("HIGH", "RESPONSE")}::int else ${hours("URGENT", "RESPONSE")}::int end),
            created + make_interval(hours => case priority when 'low' then ${hours("LOW", "RESOLUTION")}::int when 'medium' then ${hours("MEDIUM", "RESOLUTION")}::int when 'high' then ${hours("HIGH", "RESOLUTION")}::int else ${hours("URGENT", "RESOLUTION")}::int end),
            case when status <> 'open' then created + make_interval(mins => 10 + abs(hashtext(user_id || 'r')) % 600) end,
            case when status in ('resolved','closed') then created + make_interval(hours => 1 + abs(hashtext(user_id || 'z')) % 48) end,
            case when status = 'closed' then created + make_interval(hours => 50) end,
            -- a ticket waiting on its requester has its resolution clock paused since the staff reply
            case when status = 'waiting_user' then created + make_interval(mins => 10 + abs(hashtext(user_id || 'r')) % 600) end,
            created, created
          from base
          returning ticket_number
        ), counters as (
          insert into ticket_counters (month, last)
          select substr(ticket_number, 5, 6), max(substr(ticket_number, 12)::int) from ins group by 1
          on conflict (month) do update set last = greatest(ticket_counters.last, excluded.last)
        )
        select count(*)::int as n from ins`,
  );
  return Number(created[0]?.n ?? 0);
}

export interface SynthResult {
  users: number;
  devices: number;
  sessions: number;
  tickets: number;
}

/** Activity for existing users (the demo accounts) or new synthetic ones, then the rollups so pages have data at once. */
export interface SynthOptions {
  progress?: Progress;
  /** Hourly system snapshots to take, newest last (the dashboard's history). */
  snapshots?: number;
  maxDevicesPerUser?: number;
  /** false: leave the rollups to the caller (the benchmark times them). */
  rollups?: boolean;
}

export async function synthActivity(userIds: string[], days: number, opts: SynthOptions = {}): Promise<Omit<SynthResult, "users">> {
  const progress = opts.progress ?? noop;
  const db = await getDb();
  const devices = await synthDevices(db, userIds, progress, opts.maxDevicesPerUser);
  const sessions = await synthSessions(db, userIds, days, progress);
  const tickets = await synthTickets(db, userIds, days);
  if (opts.rollups !== false) {
    progress("rollups", 0, 2);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    await rollupDailyUsage(day(new Date(Date.now() - (days + 1) * DAY)), day(new Date(Date.now() + DAY)));
    await rollupUserStats();
    progress("rollups", 1, 2);
  }
  const snapshots = opts.snapshots ?? 48;
  for (let h = snapshots - 1; h >= 0; h--) await snapshotSystemMetrics(new Date(Date.now() - h * 3_600_000));
  progress("rollups", 2, 2);
  return { devices, sessions, tickets };
}

export async function synth(users: number, days: number, opts: SynthOptions = {}): Promise<SynthResult> {
  const ids = await synthUsers(users, days, opts.progress);
  return { users: ids.length, ...(await synthActivity(ids, days, opts)) };
}
