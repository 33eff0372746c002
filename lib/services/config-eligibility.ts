import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * Security-critical: which devices a server config may contain. One
 * definition, used by every query that builds a server config, so a new
 * reason to cut a device off (suspension, expiry, an exhausted data
 * allowance) cannot be forgotten by one of them. `p` is wireguard_peers and
 * `u` its users row in the caller's query.
 */
export function eligiblePeerCondition(now: SQL = sql`now()`): SQL {
  return sql`p.status = 'active' and u.status = 'active'
    and (p.expires_at is null or p.expires_at > ${now})
    and (u.quota_blocked_until is null or u.quota_blocked_until <= ${now})`;
}
