import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";

// A rotated device keeps its previous key for a grace period. Revoking the device,
// a handshake of its new key and the end of the grace period each retire it: this
// module imports neither peers nor rotation, so both of them and telemetry can use it.

/**
 * Retires old keys matching `where` (a condition on peer_previous_keys) and
 * returns their addresses to the pool, set-based: one statement whatever the
 * number of keys. Each touched server's config version is bumped so the
 * agent drops the keys at its next pull, after which the addresses are free.
 */
export async function retirePreviousKeys(db: DbOrTx, where: SQL, reason: "handshake" | "grace_expired" | "revoked", now: Date = new Date()): Promise<number> {
  const retired = await rows<{ n: number }>(
    db,
    sql`with retired as (
          update peer_previous_keys set retired_at = ${now.toISOString()}::timestamptz, retired_reason = ${reason}
          where retired_at is null and (${where})
          returning server_id, host_index
        ), bumped as (
          update vpn_servers s set config_version = s.config_version + 1
          from (select distinct server_id from retired) r where s.id = r.server_id
          returning s.id, s.config_version
        ), released as (
          update ip_leases l set state = 'released', peer_id = null, released_version = b.config_version, updated_at = now()
          from retired r join bumped b on b.id = r.server_id
          where l.server_id = r.server_id and l.host_index = r.host_index
          returning 1
        )
        select (select count(*) from retired)::int as n, (select count(*) from released)::int as released`,
  );
  return Number(retired[0]?.n ?? 0);
}

/**
 * The previous key of a device whose new key has completed a handshake is no
 * longer needed. Any handshake of the new key counts: the key did not exist
 * before the rotation (a key in use or used before is refused), so it cannot
 * be older. Comparing with the rotation time instead would miss handshakes in
 * the same second (WireGuard reports whole seconds) and every handshake from
 * a VPN server whose clock runs behind ours.
 */
export function newKeySeenCondition(serverId: string): SQL {
  return sql`server_id = ${serverId} and peer_id in (
    select p.id from wireguard_peers p join peer_counters c on c.public_key = p.public_key
    where p.server_id = ${serverId} and c.last_handshake_at is not null)`;
}

export async function retireExpiredKeys(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  return retirePreviousKeys(db, sql`grace_until <= ${now.toISOString()}::timestamptz`, "grace_expired", now);
}

