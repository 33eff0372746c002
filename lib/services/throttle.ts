import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { AppError, notFound } from "@/lib/errors";
import { bumpServersOfUser } from "@/lib/services/servers";
import type { ThrottleInput } from "@/lib/validation/abuse-mitigation";

/**
 * Temporary rate limits on all of a user's devices. A throttle lives in
 * user_throttles and reaches the wire through the server configs (one
 * `# securewave: throttle` line per device address, lib/services/server-config.ts),
 * which each server's agent enforces with tc. Every start and end bumps the
 * config version of the servers holding the user's devices, so agents pull
 * at their next cycle instead of trusting their ETag.
 *
 * At most one row per user is open (lifted_at null), enforced by the partial
 * unique index user_throttles_active_key: a new throttle closes the user's
 * open one first, in the same transaction and under a lock on the user's row,
 * so two admins throttling one user at once end with one throttle in force
 * (the later one). The rows stay as the history: who set it, until when, who
 * lifted it. Every change is audited under the user (target "user"), with
 * the incident's id in the metadata when one is linked, which is how the
 * incident's page shows it.
 */
const HOUR_MS = 3_600_000;

export interface ThrottleResult {
  id: string;
  userId: string;
  rateKbit: number;
  startsAt: string;
  until: string;
  incidentId: string | null;
}

const iso = (d: unknown) => new Date(d as string | Date).toISOString();

/** Locks the user's row (the throttles' serialisation point) or 404s. */
async function lockUser(tx: DbOrTx, userId: string): Promise<void> {
  const [found] = await rows<{ id: string }>(tx, sql`select id from users where id = ${userId} for update`);
  if (!found) throw notFound("User");
}

/**
 * Closes the user's open throttle, if any: one in force is lifted by the
 * actor (or replaced), one already past `until` is recorded as ended then.
 * Returns the one that was in force.
 */
async function closeOpenThrottle(tx: DbOrTx, userId: string, by: string | null, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const [closed] = await rows<{ id: string; rate_kbit: number; until: string | Date; incident_id: string | null; was_active: boolean }>(
    tx,
    sql`update user_throttles t set lifted_at = least(t.until, ${at}),
          lifted_by_id = case when t.until > ${at} then ${by}::text end
        where t.user_id = ${userId} and t.lifted_at is null
        returning t.id, t.rate_kbit, t.until, t.incident_id, (t.until > ${at}) as was_active`,
  );
  return closed && closed.was_active ? closed : null;
}

/** An incident linked to a throttle must be one of that user's. */
async function checkIncident(tx: DbOrTx, userId: string, incidentId: string): Promise<void> {
  const [found] = await rows<{ user_id: string }>(tx, sql`select user_id from abuse_detection_logs where id = ${incidentId}`);
  if (!found) throw notFound("Incident");
  if (found.user_id !== userId) throw new AppError("validation_error", "That incident is about another user", [{ path: "incidentId", message: "Choose an incident of this user" }]);
}

/**
 * POST /api/admin/users/:id/throttle: limits every device of the user to
 * `rateKbit` kbit/s (1 kbit = 1000 bits, each direction) for `hours` from now,
 * replacing any throttle in force. Admins (abuse.manage) only.
 */
export async function throttleUser(actor: Actor, userId: string, input: ThrottleInput, now: Date = new Date()): Promise<ThrottleResult> {
  authorizeUser(actor, "abuse.manage");
  const until = new Date(now.getTime() + Math.round(input.hours * HOUR_MS));
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    if (input.incidentId) await checkIncident(tx, userId, input.incidentId);
    const replaced = await closeOpenThrottle(tx, userId, actor.id, now);
    const [row] = await rows<{ id: string; starts_at: string | Date; until: string | Date }>(
      tx,
      sql`insert into user_throttles (user_id, rate_kbit, starts_at, until, reason, incident_id, created_by_id)
          values (${userId}, ${input.rateKbit}, ${now.toISOString()}::timestamptz, ${until.toISOString()}::timestamptz,
            ${input.reason ?? null}, ${input.incidentId ?? null}, ${actor.id})
          returning id, starts_at, until`,
    );
    await bumpServersOfUser(tx, userId);
    await recordAudit(tx, actor, "abuse.throttled", { type: "user", id: userId }, {
      throttleId: row!.id,
      rateKbit: input.rateKbit,
      until: until.toISOString(),
      incidentId: input.incidentId ?? null,
      note: input.reason ?? null,
      replaced: replaced?.id ?? null,
    });
    return { id: row!.id, userId, rateKbit: input.rateKbit, startsAt: iso(row!.starts_at), until: iso(row!.until), incidentId: input.incidentId ?? null };
  });
}

/**
 * DELETE /api/admin/users/:id/throttle: ends the user's throttle now (the
 * "Lift" button). Idempotent: without a throttle in force it changes nothing
 * and records nothing. Returns the lifted throttle's id, or null.
 */
export async function liftThrottle(actor: Actor, userId: string, now: Date = new Date()): Promise<string | null> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const lifted = await closeOpenThrottle(tx, userId, actor.id, now);
    if (!lifted) return null;
    await bumpServersOfUser(tx, userId);
    await recordAudit(tx, actor, "abuse.throttle_lifted", { type: "user", id: userId }, {
      throttleId: lifted.id,
      rateKbit: Number(lifted.rate_kbit),
      until: iso(lifted.until),
      incidentId: lifted.incident_id,
    });
    return lifted.id;
  });
}

/**
 * Job step (expiry): throttles whose `until` has passed are already out of
 * the configs (they are read with `until > now()`, and a pull rebuilds
 * while one of its server's has ended unrecorded), so this records their end
 * (lifted_at = until, by nobody), bumps the servers of their users once and
 * audits each as the system — one statement, whatever the number. A retried
 * step finds nothing left to do.
 */
export async function expireThrottles(now: Date = new Date()): Promise<{ expired: number; servers: number }> {
  const db = await getDb();
  const at = sql`${now.toISOString()}::timestamptz`;
  const [r] = await rows<{ expired: number; servers: number }>(
    db,
    sql`with due as (
          update user_throttles t set lifted_at = t.until
          where t.lifted_at is null and t.until <= ${at}
          returning t.id, t.user_id, t.until, t.rate_kbit, t.incident_id
        ), bump as (
          update vpn_servers s set config_version = s.config_version + 1
          where s.id in (select p.server_id from wireguard_peers p where p.user_id in (select user_id from due))
          returning s.id
        ), audit as (
          insert into audit_log (actor_kind, action, target_type, target_id, metadata)
          select 'system', 'abuse.throttle_expired', 'user', d.user_id,
            jsonb_build_object('job', 'expiry', 'throttleId', d.id, 'rateKbit', d.rate_kbit, 'until', d.until, 'incidentId', d.incident_id)
          from due d
          returning id
        )
        select (select count(*) from due)::int as expired, (select count(*) from bump)::int as servers`,
  );
  return { expired: Number(r?.expired ?? 0), servers: Number(r?.servers ?? 0) };
}
