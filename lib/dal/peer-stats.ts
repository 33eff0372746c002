import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { authorize, authorizeUser } from "@/lib/auth/policy";

export interface SystemPeerStats {
  total: number;
  active: number;
  revoked: number;
  bringYourOwnKey: number;
  dueForRotation: number;
  overdueForRotation: number;
  inGracePeriod: number;
  onlineNow: number;
  servers: { serverId: string; name: string; capacity: number; addressesAllocated: number; activePeers: number }[];
}

/** get_system_peer_stats: two aggregate queries, whatever the number of peers. Overdue = due for more than 7 days. */
export async function getSystemPeerStats(actor: Actor): Promise<SystemPeerStats> {
  authorize(actor, "admin.view");
  const db = await getDb();
  const [totals] = await rows<Omit<SystemPeerStats, "servers">>(
    db,
    sql`select count(*)::int as total,
          count(*) filter (where p.status = 'active')::int as active,
          count(*) filter (where p.status = 'revoked')::int as revoked,
          count(*) filter (where p.status = 'active' and p.private_key_sealed is null)::int as "bringYourOwnKey",
          count(*) filter (where p.status = 'active' and p.next_key_rotation_at <= now())::int as "dueForRotation",
          count(*) filter (where p.status = 'active' and p.next_key_rotation_at <= now() - interval '7 days')::int as "overdueForRotation",
          (select count(*) from peer_previous_keys where retired_at is null)::int as "inGracePeriod",
          count(*) filter (where p.status = 'active' and l.last_handshake_at >= now() - interval '3 minutes')::int as "onlineNow"
        from wireguard_peers p left join peer_live_stats l on l.peer_id = p.id`,
  );
  const servers = await rows<SystemPeerStats["servers"][number]>(
    db,
    sql`select s.id as "serverId", s.name, s.capacity,
          (select count(*) from ip_leases l where l.server_id = s.id and l.state = 'held')::int as "addressesAllocated",
          (select count(*) from wireguard_peers p where p.server_id = s.id and p.status = 'active')::int as "activePeers"
        from vpn_servers s order by s.name`,
  );
  return { ...totals!, servers };
}

export interface DuePeer {
  id: string;
  deviceName: string;
  userEmail: string;
  serverName: string;
  nextKeyRotationAt: string;
  overdue: boolean;
  bringYourOwnKey: boolean;
}

/** The devices due or overdue for rotation, most overdue first, for the admin list. */
export async function listDuePeers(actor: Actor, limit = 50): Promise<DuePeer[]> {
  authorizeUser(actor, "admin.view");
  const db = await getDb();
  const list = await rows<DuePeer & { nextKeyRotationAt: Date | string }>(
    db,
    sql`select p.id, p.device_name as "deviceName", u.email as "userEmail", s.name as "serverName",
          p.next_key_rotation_at as "nextKeyRotationAt",
          (p.next_key_rotation_at <= now() - interval '7 days') as overdue,
          (p.private_key_sealed is null) as "bringYourOwnKey"
        from wireguard_peers p join users u on u.id = p.user_id join vpn_servers s on s.id = p.server_id
        where p.status = 'active' and p.next_key_rotation_at <= now() + interval '7 days'
        order by p.next_key_rotation_at limit ${Math.min(Math.max(limit, 1), 200)}`,
  );
  return list.map((r) => ({ ...r, nextKeyRotationAt: new Date(r.nextKeyRotationAt).toISOString() }));
}
