import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { UserActor } from "@/lib/auth/actor";
import { createAccount } from "@/lib/services/accounts";
import { createPeer } from "@/lib/services/peers";
import { addMessage, createTicket, rateTicket, updateTicket } from "@/lib/services/support";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import type { DeviceType } from "@/db/schema/vpn";

/**
 * The first start's demo, told as a small real service: the demo accounts
 * and a few named customers with their devices on the two demo servers, two
 * weeks of sessions and traffic that end when the seed ran (the servers'
 * last heartbeat is that moment too, so nothing claims to be online after
 * it), a handful of tickets in every state with real conversations, and two
 * abuse incidents. Synthetic bulk data is for `data:synth` and the
 * benchmarks only.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 14;

type Person = { email: string; name: string; plan: "free" | "basic" | "premium"; joinedDaysAgo: number; devices: [string, DeviceType][] };

/** The demo accounts' devices and the customers beside them. */
const PEOPLE: Person[] = [
  { email: "alice@securewave.test", name: "Alice Example", plan: "basic", joinedDaysAgo: 120, devices: [["Alice's iPhone", "ios"], ["Work laptop", "macos"]] },
  { email: "bob@securewave.test", name: "Bob Example", plan: "free", joinedDaysAgo: 45, devices: [["Pixel 8", "android"]] },
  { email: "chloe.martin@example.net", name: "Chloé Martin", plan: "premium", joinedDaysAgo: 210, devices: [["iPhone 15", "ios"], ["ThinkPad", "linux"], ["Living-room router", "linux"]] },
  { email: "dmitri.ivanov@example.net", name: "Dmitri Ivanov", plan: "basic", joinedDaysAgo: 90, devices: [["Gaming PC", "windows"], ["Galaxy S24", "android"]] },
  { email: "priya.raman@example.net", name: "Priya Raman", plan: "free", joinedDaysAgo: 12, devices: [["MacBook Air", "macos"]] },
  { email: "tomas.ortega@example.net", name: "Tomás Ortega", plan: "premium", joinedDaysAgo: 160, devices: [["Surface Pro", "windows"], ["iPad", "ios"]] },
  { email: "mei.chen@example.net", name: "Mei Chen", plan: "basic", joinedDaysAgo: 60, devices: [["Fairphone", "android"]] },
];

const asUser = (u: { id: string; email: string; role: string }): UserActor => ({ kind: "user", id: u.id, email: u.email, role: u.role as UserActor["role"], status: "active" });

async function people(db: Db, password: string, now: number) {
  const out = new Map<string, UserActor>();
  for (const p of PEOPLE) {
    const [found] = await rows<{ id: string; email: string; role: string }>(db, sql`select id, email, role from users where lower(email) = ${p.email}`);
    const user = found ?? (await createAccount({ email: p.email, name: p.name, password, role: "user" }, { kind: "system", job: "seed" }));
    out.set(p.email, asUser(user));
    await db.execute(sql`
      update users set created_at = ${new Date(now - p.joinedDaysAgo * DAY).toISOString()}::timestamptz,
        email_verified = coalesce(email_verified, ${new Date(now - p.joinedDaysAgo * DAY).toISOString()}::timestamptz),
        last_login_at = ${new Date(now - ((p.joinedDaysAgo * 7) % 30) * HOUR).toISOString()}::timestamptz
      where id = ${user.id}`);
    await db.execute(sql`
      update subscriptions s set plan_id = ${p.plan}, price_cents = pl.price_cents, started_at = ${new Date(now - p.joinedDaysAgo * DAY).toISOString()}::timestamptz,
        renewals = case when pl.price_cents > 0 then ${Math.floor(p.joinedDaysAgo / 30)} else 0 end
      from plans pl where pl.id = ${p.plan} and s.user_id = ${user.id}`);
  }
  return out;
}

async function devices(db: Db, who: Map<string, UserActor>, now: number) {
  const servers = await rows<{ id: string }>(db, sql`select id from vpn_servers order by name`);
  let n = 0;
  for (const p of PEOPLE) {
    const actor = who.get(p.email)!;
    for (const [i, [deviceName, deviceType]] of p.devices.entries()) {
      const server = servers[(n++ + i) % servers.length]!;
      const peer = await createPeer(actor, { serverId: server.id, deviceName, deviceType });
      const made = new Date(now - Math.min(p.joinedDaysAgo, 20 + 9 * i) * DAY).toISOString();
      await db.execute(sql`update wireguard_peers set created_at = ${made}::timestamptz, last_key_rotation_at = ${made}::timestamptz where id = ${peer.id}`);
    }
  }
}

/**
 * Sessions for every demo device over the last two weeks (mostly evenings),
 * one traffic sample each, some devices connected at the seed's moment, and
 * the totals and handshakes they imply; the servers were last heard from at
 * that moment. One statement per table.
 */
async function history(db: Db, now: number) {
  const at = new Date(now).toISOString();
  await db.execute(sql`
    with spec as (
      select p.id as peer_id, p.user_id, p.server_id, d, k, abs(hashtext(p.id || d || k)) as h
      from wireguard_peers p
      cross join generate_series(1, ${HISTORY_DAYS}::int) d
      cross join lateral generate_series(1, abs(hashtext(p.id || d)) % 3) k
      where p.status = 'active' and p.created_at < ${at}::timestamptz - make_interval(days => d)
    ), timed as (
      select *, date_trunc('day', ${at}::timestamptz - make_interval(days => d))
          + make_interval(hours => case when h % 10 < 6 then 17 + (h / 10) % 6 else 7 + (h / 10) % 10 end, mins => (h / 7) % 60) as started,
        make_interval(mins => 10 + (h / 13) % 150) as dur,
        (4000 + (h / 17) % 120000)::bigint as rate
      from spec
    ), ins as (
      insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, ended_at, bytes_up, bytes_down)
      select peer_id, user_id, server_id, '198.51.100.' || (1 + abs(hashtext(user_id)) % 200),
        started, started + dur, started + dur,
        (rate * extract(epoch from dur) * 0.15)::bigint, (rate * extract(epoch from dur))::bigint
      from timed
      returning peer_id, user_id, server_id, client_ip, ended_at, bytes_up, bytes_down
    )
    insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down, client_ip)
    select peer_id, user_id, server_id, ended_at, bytes_up, bytes_down, client_ip from ins`);
  // A third of the devices are connected at the seed's moment.
  await db.execute(sql`
    insert into connection_sessions (peer_id, user_id, server_id, client_ip, started_at, last_seen_at, bytes_up, bytes_down)
    select p.id, p.user_id, p.server_id, '198.51.100.' || (1 + abs(hashtext(p.user_id)) % 200),
      ${at}::timestamptz - make_interval(mins => 5 + abs(hashtext(p.id)) % 80), ${at}::timestamptz, 0, 0
    from wireguard_peers p where p.status = 'active' and abs(hashtext(p.id || 'now')) % 3 = 0
    on conflict do nothing`);
  await db.execute(sql`
    update peer_live_stats l set bytes_sent = t.up, bytes_received = t.down, last_handshake_at = t.last, endpoint = t.ip || ':51820',
      latency_ms = 18 + abs(hashtext(l.peer_id)) % 60, latency_at = t.last
    from (select peer_id, sum(bytes_up) as up, sum(bytes_down) as down, max(last_seen_at) as last, max(client_ip) as ip
          from connection_sessions group by peer_id) t
    where l.peer_id = t.peer_id`);
  await db.execute(sql`
    insert into latency_samples (peer_id, user_id, server_id, sampled_at, rtt_ms)
    select s.peer_id, s.user_id, s.server_id, coalesce(s.ended_at, s.last_seen_at), 18 + abs(hashtext(s.peer_id)) % 60 + abs(hashtext(s.id)) % 9
    from connection_sessions s`);
  await db.execute(sql`update vpn_servers set last_heartbeat_at = ${at}::timestamptz`);
}

/** Tickets in every state, with the conversations that got them there. */
async function tickets(who: Map<string, UserActor>, agent: UserActor, now: number) {
  const ago = (h: number) => ({ now: new Date(now - h * HOUR) });
  const alice = who.get("alice@securewave.test")!;
  const bob = who.get("bob@securewave.test")!;

  const hotel = await createTicket(alice, { subject: "Handshake fails on hotel Wi-Fi", description: "At my hotel the app says connecting forever. At home it works fine. Is UDP blocked here?", category: "vpn_connection", priority: "high" }, [], ago(74));
  await updateTicket(agent, hotel.id, { assignedToId: agent.id, status: "in_progress" }, ago(72));
  await addMessage(agent, hotel.id, { message: "Some hotel networks block UDP. Could you try your phone's hotspot for a minute, to see whether the tunnel comes up there? That tells us whether it is the network.", isInternal: false }, [], ago(71));
  await updateTicket(agent, hotel.id, { status: "waiting_user" }, ago(71));

  const billing = await createTicket(bob, { subject: "Charged twice this month", description: "My card shows two charges of $4.99 on the 2nd.", category: "billing", priority: "medium" }, [], ago(150));
  await updateTicket(agent, billing.id, { assignedToId: agent.id }, ago(149));
  await addMessage(agent, billing.id, { message: "Payment log shows a retry after a timeout: the second charge is a duplicate. Refund issued.", isInternal: true }, [], ago(148));
  await addMessage(agent, billing.id, { message: "Sorry about that: the second charge was a duplicate and we have refunded it. It should be back on your card within 5 days.", isInternal: false }, [], ago(147));
  await updateTicket(agent, billing.id, { status: "resolved" }, ago(146));
  await rateTicket(bob, billing.id, { rating: 5, feedback: "Quick and clear, thanks!" }, ago(120));

  const router = await createTicket(who.get("chloe.martin@example.net")!, { subject: "Can I run SecureWave on my router?", description: "I would like every device at home to go through the VPN. My router runs OpenWrt.", category: "feature_request", priority: "low" }, [], ago(5));
  void router;

  const speed = await createTicket(who.get("dmitri.ivanov@example.net")!, { subject: "Speed drops every evening", description: "From about 8 pm my downloads fall to 2 Mbit/s on Frankfurt 1. Mornings are fine.", category: "technical", priority: "medium" }, [], ago(26));
  await updateTicket(agent, speed.id, { assignedToId: agent.id, status: "in_progress" }, ago(20));
  await addMessage(agent, speed.id, { message: "Evening load on Frankfurt 1 is high. While we add capacity, New York 1 may be faster for you in the evening; you can move your device in its settings.", isInternal: false }, [], ago(19));
  await addMessage(who.get("dmitri.ivanov@example.net")!, speed.id, { message: "New York 1 is better in the evening, thanks. When will Frankfurt be fixed?", isInternal: false }, [], ago(6));
  await updateTicket(agent, speed.id, { status: "in_progress" }, ago(5.5));

  await createTicket(who.get("priya.raman@example.net")!, { subject: "QR code does not scan", description: "The WireGuard app on my phone says the QR code is invalid. I am on the new device page.", category: "technical", priority: "urgent" }, [], ago(0.7));
}

/** Two incidents with evidence: one waiting for review, one dismissed by an admin. */
async function incidents(db: Db, who: Map<string, UserActor>, admin: UserActor, now: number) {
  const dmitri = who.get("dmitri.ivanov@example.net")!;
  const tomas = who.get("tomas.ortega@example.net")!;
  await db.execute(sql`
    insert into abuse_detection_logs (user_id, incident_type, severity, description, metadata, detection_method, status, detected_at, created_at, updated_at)
    values (${dmitri.id}, 'excessive_bandwidth', 'medium', 'Transferred 212 GB in 24 hours, above the 150 GB threshold',
      ${JSON.stringify({ bytes: 212e9, thresholdBytes: 150e9, windowHours: 24 })}::jsonb, 'automated', 'pending',
      ${new Date(now - 9 * HOUR).toISOString()}::timestamptz, ${new Date(now - 9 * HOUR).toISOString()}::timestamptz, ${new Date(now - 9 * HOUR).toISOString()}::timestamptz)`);
  await db.execute(sql`
    insert into abuse_detection_logs (user_id, incident_type, severity, description, metadata, detection_method, status, detected_at, resolved_at, resolved_by_id, resolution_note, created_at, updated_at)
    values (${tomas.id}, 'rapid_reconnects', 'low', '41 reconnections in one hour', ${JSON.stringify({ reconnects: 41, windowMinutes: 60 })}::jsonb,
      'automated', 'false_positive', ${new Date(now - 4 * DAY).toISOString()}::timestamptz, ${new Date(now - 4 * DAY + 2 * HOUR).toISOString()}::timestamptz,
      ${admin.id}, 'Train journey with patchy coverage: the client reconnected as it should.',
      ${new Date(now - 4 * DAY).toISOString()}::timestamptz, ${new Date(now - 4 * DAY + 2 * HOUR).toISOString()}::timestamptz)`);
}

export async function seedDemoStory(db: Db, password: string): Promise<{ people: number; devices: number; tickets: number }> {
  const now = Date.now();
  const [staff] = await rows<{ admin: string; agent: string }>(
    db,
    sql`select (select id from users where email = 'admin@securewave.test') as admin, (select id from users where email = 'agent@securewave.test') as agent`,
  );
  const admin = asUser({ id: staff!.admin, email: "admin@securewave.test", role: "admin" });
  const agent = asUser({ id: staff!.agent, email: "agent@securewave.test", role: "agent" });
  const who = await people(db, password, now);
  await devices(db, who, now);
  await history(db, now);
  await tickets(who, agent, now);
  await incidents(db, who, admin, now);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  await rollupDailyUsage(day(now - (HISTORY_DAYS + 1) * DAY), day(now + DAY));
  await rollupUserStats();
  for (let h = 23; h >= 0; h--) await snapshotSystemMetrics(new Date(now - h * HOUR));
  const [counts] = await rows<{ devices: number; tickets: number }>(db, sql`select (select count(*)::int from wireguard_peers) as devices, (select count(*)::int from support_tickets) as tickets`);
  return { people: PEOPLE.length, devices: Number(counts!.devices), tickets: Number(counts!.tickets) };
}
