// The first start's demo reads like a small real service whose history agrees
// with itself: named people, the two demo servers, devices whose last
// handshake is never after their server was last heard from, tickets in
// several states, incidents — and nothing synthetic.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { DEMO_PASSWORD, seedDemo, seedDemoHistory } from "@/lib/server/demo-seed";
import { verifyPassword } from "@/lib/auth/password";

describe("demo seed", () => {
  it("tells one consistent story, without synthetic accounts, servers or tickets", async () => {
    const db = await getDb();
    const first = await seedDemo(db);
    expect(first.servers).toBe(2);
    const story = await seedDemoHistory(db);
    expect(story.devices).toBeGreaterThanOrEqual(10);
    expect(story.tickets).toBe(5);

    const [synthetic] = await rows<{ users: number; servers: number; tickets: number }>(
      db,
      sql`select (select count(*)::int from users where email ilike '%synth%' or name ilike 'synthetic%') as users,
        (select count(*)::int from vpn_servers where name ilike 'synth%') as servers,
        (select count(*)::int from support_tickets where subject ilike 'synthetic%') as tickets`,
    );
    expect(synthetic).toEqual({ users: 0, servers: 0, tickets: 0 });

    // Nothing was seen after its server was last heard from; every server was heard from.
    const [late] = await rows<{ n: number; silent: number }>(
      db,
      sql`select (select count(*)::int from wireguard_peers p join peer_live_stats l on l.peer_id = p.id join vpn_servers s on s.id = p.server_id
                  where l.last_handshake_at > s.last_heartbeat_at) as n,
             (select count(*)::int from vpn_servers where last_heartbeat_at is null) as silent`,
    );
    expect(late).toEqual({ n: 0, silent: 0 });

    const statuses = await rows<{ status: string }>(db, sql`select distinct status from support_tickets`);
    expect(statuses.map((s) => s.status).sort()).toEqual(expect.arrayContaining(["open", "resolved", "waiting_user", "in_progress"]));
    const [named] = await rows<{ n: number }>(db, sql`select count(*)::int as n from support_tickets t join users u on u.id = t.user_id where u.name is null`);
    expect(named!.n).toBe(0);
    const [incidents] = await rows<{ n: number }>(db, sql`select count(*)::int as n from abuse_detection_logs`);
    expect(incidents!.n).toBe(2);
    const [usage] = await rows<{ n: number }>(db, sql`select count(*)::int as n from daily_usage_metrics`);
    expect(usage!.n).toBeGreaterThan(0);

    // The demo accounts sign in with the documented password; seeding again changes nothing.
    const [alice] = await rows<{ hash: string }>(db, sql`select password_hash as hash from users where email = 'alice@securewave.test'`);
    expect(await verifyPassword(DEMO_PASSWORD, alice!.hash)).toBe(true);
    expect(await seedDemo(db)).toEqual({ created: 0, servers: 0 });
  });
});
