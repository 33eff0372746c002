import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { parseAutoSuspend } from "@/lib/abuse/thresholds";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { expireThrottles } from "@/lib/services/throttle";
import { ABUSE_JOB } from "./mitigation";
import type { CreatedIncident } from "./record";

const HOUR_MS = 3_600_000;
/** Only incidents this serious throttle by themselves; the others wait for an admin. */
const SERIOUS = new Set(["high", "critical"]);

/**
 * The automatic throttle, off unless ABUSE_AUTO_THROTTLE lists the incident's
 * type: a high or critical incident the scan just created limits every device
 * of its user to ABUSE_AUTO_THROTTLE_KBIT for ABUSE_AUTO_THROTTLE_HOURS,
 * linked to that incident and audited as "abuse.auto_throttled" by the
 * system job "abuse". A user with a throttle in force keeps it (an admin's
 * stricter or longer one is never overridden): the insert does nothing on the
 * partial unique index. Lifted like any other, with one click.
 *
 * Set-based: one insert for every user of this scan, their servers bumped
 * and the audit written in the same statement. A retry finds the throttles
 * in place and adds nothing.
 */
export async function autoThrottleIncidents(created: CreatedIncident[], now: Date = new Date()): Promise<number> {
  const env = getEnv();
  const { types, unknown } = parseAutoSuspend(env.ABUSE_AUTO_THROTTLE);
  if (unknown.length) log.warn("ABUSE_AUTO_THROTTLE names unknown incident types; ignored", { unknown });
  const byUser = new Map<string, CreatedIncident>();
  for (const i of created) if (types.has(i.incidentType) && SERIOUS.has(i.severity) && !byUser.has(i.userId)) byUser.set(i.userId, i);
  if (byUser.size === 0) return 0;

  // Ended throttles of anyone are recorded first, so an ended one never blocks a new one.
  await expireThrottles(now);
  const input = JSON.stringify([...byUser.values()].map((i) => ({ userId: i.userId, incidentId: i.id, incidentType: i.incidentType })));
  const at = now.toISOString();
  const until = new Date(now.getTime() + env.ABUSE_AUTO_THROTTLE_HOURS * HOUR_MS).toISOString();
  const db = await getDb();
  const [r] = await rows<{ n: number }>(
    db,
    sql`with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as r("userId" text, "incidentId" text, "incidentType" text)
        ), ins as (
          insert into user_throttles (user_id, rate_kbit, starts_at, until, reason, incident_id)
          select r."userId", ${env.ABUSE_AUTO_THROTTLE_KBIT}::int, ${at}::timestamptz, ${until}::timestamptz,
            'Automatic abuse mitigation: ' || replace(r."incidentType", '_', ' '), r."incidentId"
          from input r
          where exists (select 1 from users u where u.id = r."userId")
            and exists (select 1 from abuse_detection_logs l where l.id = r."incidentId")
          on conflict (user_id) where lifted_at is null do nothing
          returning id, user_id, incident_id, rate_kbit, until
        ), bump as (
          update vpn_servers s set config_version = s.config_version + 1
          where s.id in (select p.server_id from wireguard_peers p where p.user_id in (select user_id from ins))
          returning s.id
        ), audit as (
          insert into audit_log (actor_kind, action, target_type, target_id, metadata)
          select 'system', 'abuse.auto_throttled', 'user', i.user_id,
            jsonb_build_object('job', ${ABUSE_JOB}::text, 'throttleId', i.id, 'rateKbit', i.rate_kbit, 'until', i.until, 'incidentId', i.incident_id)
          from ins i
          returning id
        )
        select (select count(*) from ins)::int as n, (select count(*) from bump) as servers, (select count(*) from audit) as audited`,
  );
  return Number(r?.n ?? 0);
}
