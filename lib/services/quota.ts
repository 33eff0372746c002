import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { enqueueEmails, notifyOutbox } from "@/lib/email/outbox";
import { quotaExceededEmail, quotaWarningEmail } from "@/lib/email/templates/quota-usage";
import {
  GB,
  QUOTA_WARN_FRACTION,
  monthKeySql,
  monthStartSql,
  nextMonthStartSql,
  safeTimeZone,
  timestamp,
  usedBytesSql,
  userPlanJoin,
} from "@/lib/dal/quota-month";

/** Only accounts with traffic this recently can newly cross a threshold; an hour covers a few missed runs. */
export const QUOTA_ACTIVITY_WINDOW_MINUTES = 60;

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * The time zones of the accounts in question that both this runtime and the
 * database know (one lookup of pg_timezone_names per run, not per account);
 * any other account counts its month in UTC.
 */
async function knownZones(db: DbOrTx, where: SQL): Promise<string> {
  const found = await rows<{ tz: string }>(db, sql`select distinct u.time_zone as tz from users u where u.time_zone is not null and ${where}`);
  const candidates = found.map((r) => r.tz).filter((tz) => safeTimeZone(tz) === tz);
  if (candidates.length === 0) return "[]";
  const known = await rows<{ name: string }>(
    db,
    sql`select name from pg_timezone_names where name in (select jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb))`,
  );
  return JSON.stringify(known.map((k) => k.name));
}

/**
 * The accounts matching `where`, each with its plan's allowance, its calendar
 * month (in its own zone) around `now` and the bytes used in it — one
 * statement for all of them. Exposes the CTE `usage`.
 */
function usageCte(now: Date, zones: string, where: SQL): SQL {
  const at = timestamp(now);
  const tz = sql`a.tz`;
  return sql`acct as (
      select u.id as user_id, u.email, u.status, u.quota_blocked_until as blocked_until,
        u.quota_warned_80 as warned_80, u.quota_warned_100 as warned_100,
        case when u.time_zone in (select jsonb_array_elements_text(${zones}::jsonb)) then u.time_zone else 'UTC' end as tz,
        pl.monthly_data_gb::numeric * ${GB} as allowance
      from users u ${userPlanJoin}
      where ${where}
    ), win as (
      select a.*, ${monthStartSql(tz, at)} as month_start, ${nextMonthStartSql(tz, at)} as next_start, ${monthKeySql(tz, at)} as month_key
      from acct a
    ), usage as (
      select w.*, ${usedBytesSql(sql`w.user_id`, sql`w.month_start`, sql`w.next_start`)} as bytes from win w
    )`;
}

/** Bumps the config version of every server holding an active device of the users in CTE `changed` (column `user_id`), so agents pull again. */
const bumpServersOf = (changed: string) => sql`bump as (
    update vpn_servers s set config_version = s.config_version + 1
    where s.id in (select p.server_id from wireguard_peers p where p.status = 'active' and p.user_id in (select user_id from ${sql.raw(changed)}))
    returning s.id
  )`;

const auditEach = (changed: string, action: string) => sql`audit as (
    insert into audit_log (actor_kind, action, target_type, target_id, metadata)
    select 'system', ${action}, 'user', c.user_id, jsonb_build_object('month', c.month_key, 'bytes', c.bytes, 'allowance', c.allowance)
    from ${sql.raw(changed)} c
    returning id
  )`;

/**
 * Lifts quota blocks that no longer hold: the month turned in the account's
 * zone, or the allowance now covers the use (raised, unlimited, another
 * plan). A lifted 100 % mark is cleared when the use is back under the
 * allowance, so crossing the new allowance warns again.
 */
async function releaseBlocks(db: DbOrTx, now: Date, where: SQL, zones?: string): Promise<{ released: number; servers: number }> {
  zones ??= await knownZones(db, where);
  const at = timestamp(now);
  const [r] = await rows<{ released: number; servers: number }>(
    db,
    sql`with ${usageCte(now, zones, sql`u.quota_blocked_until is not null and ${where}`)},
      released as (
        select * from usage where blocked_until <= ${at} or allowance is null or bytes < allowance
      ), upd as (
        update users u set quota_blocked_until = null, updated_at = now(),
          quota_warned_100 = case when r.allowance is null or r.bytes < r.allowance then null else u.quota_warned_100 end,
          quota_warned_80 = case when r.allowance is null or r.bytes < r.allowance * ${QUOTA_WARN_FRACTION} then null else u.quota_warned_80 end
        from released r where u.id = r.user_id
        returning u.id as user_id
      ), ${bumpServersOf("upd")}, ${auditEach("released", "quota.unblocked")}
      select (select count(*) from upd)::int as released, (select count(*) from bump)::int as servers`,
  );
  return { released: num(r?.released), servers: num(r?.servers) };
}

/** Forgets the 80/100 % marks this month's use no longer reaches under the allowance in force, so it warns afresh. */
async function forgetMarks(db: DbOrTx, now: Date, where: SQL, zones: string): Promise<void> {
  await db.execute(sql`with ${usageCte(now, zones, where)}
    update users u set
      quota_warned_100 = case when r.allowance is null or r.bytes < r.allowance then null else u.quota_warned_100 end,
      quota_warned_80 = case when r.allowance is null or r.bytes < r.allowance * ${QUOTA_WARN_FRACTION} then null else u.quota_warned_80 end
    from usage r where u.id = r.user_id and (u.quota_warned_80 is not null or u.quota_warned_100 is not null)`);
}

/** Job step: month-turn (and raised-allowance) unblocks, with config bumps. */
export async function releaseQuotaBlocks(now: Date = new Date()): Promise<{ released: number; servers: number }> {
  const db = await getDb();
  return db.transaction((tx) => releaseBlocks(tx, now, sql`true`));
}

/**
 * After a plan change (in the caller's transaction): lifts the block at once
 * when the new allowance covers this month's use, and forgets the 80/100 %
 * marks the use no longer reaches, so the new allowance warns afresh.
 */
export async function reassessQuotaOf(tx: DbOrTx, userId: string, now: Date = new Date()): Promise<{ released: boolean }> {
  const where = sql`u.id = ${userId}`;
  const zones = await knownZones(tx, where);
  const { released } = await releaseBlocks(tx, now, where, zones);
  await forgetMarks(tx, now, where, zones);
  return { released: released > 0 };
}

/**
 * The accounts (rows `u` of users) whose plan is `planId`: their live
 * subscription's plan, else the default plan — the rule of userPlanJoin —
 * never a deleted account. For a plan that is not the default, its live
 * subscriptions narrow the search first (subscriptions_live_plan_idx).
 */
function subscribersOf(planId: string, isDefault: boolean): SQL {
  const applies = sql`coalesce(
      (select s.plan_id from subscriptions s where s.user_id = u.id and s.status <> 'cancelled' order by s.started_at desc limit 1),
      (select d.id from plans d where d.is_default limit 1)) = ${planId}`;
  if (isDefault) return sql`u.deleted_at is null and ${applies}`;
  return sql`u.deleted_at is null
    and u.id in (select s.user_id from subscriptions s where s.plan_id = ${planId} and s.status in ('active', 'past_due'))
    and ${applies}`;
}

export interface PlanQuotaOutcome {
  /** Subscribers whose pause was lifted (the new allowance covers their use). */
  released: number;
  /** Subscribers paused now (their use reaches the new allowance). */
  blocked: number;
  /** Subscribers warned now at 80 % of the new allowance. */
  warned: number;
  /** Emails queued in the transaction: call notifyOutbox() after it commits. */
  emailed: number;
}

/**
 * After an admin changes a plan's data allowance, in the caller's
 * transaction (which has already written the new allowance): the quota job's
 * steps — release, forget outgrown marks, block, warn — for every subscriber
 * of the plan at once, whether they had traffic lately or not. A subscriber
 * at or over the new allowance leaves the server configs now (the servers'
 * config versions move on) and is emailed as the job would; one under a
 * raised allowance comes back. A fixed number of set-based statements,
 * whatever the number of subscribers.
 */
export async function reassessPlanQuotas(tx: DbOrTx, planId: string, isDefault: boolean, now: Date = new Date()): Promise<PlanQuotaOutcome> {
  const where = subscribersOf(planId, isDefault);
  const zones = await knownZones(tx, where);
  const { released } = await releaseBlocks(tx, now, where, zones);
  await forgetMarks(tx, now, where, zones);
  const notBanned = sql`u.status <> 'banned' and ${where}`;
  const blocked = await blockOver(tx, now, notBanned, zones);
  const warned = await warnNear(tx, now, notBanned, zones);
  return { released, blocked: blocked.blocked, warned, emailed: blocked.emailed + warned };
}

const recentlyActive = (now: Date) => sql`u.id in (
    select t.user_id from traffic_samples t
    where t.sampled_at > ${timestamp(now)} - make_interval(mins => ${QUOTA_ACTIVITY_WINDOW_MINUTES}) and t.sampled_at <= ${timestamp(now)})`;

type Crossing = { email: string; tz: string; bytes: string | number; allowance: string | number; next_start: string | Date; notify: boolean };

/**
 * Accounts matching `where` at or over 100 % of this month's allowance leave
 * the server configs until the next month starts in their zone, and are
 * emailed once per month. One statement marks, blocks, bumps the servers and
 * audits; the emails (one insert) join the caller's transaction, so a retried
 * step sends nothing twice.
 */
async function blockOver(tx: DbOrTx, now: Date, where: SQL, zones?: string): Promise<{ blocked: number; emailed: number; servers: number }> {
  const at = timestamp(now);
  zones ??= await knownZones(tx, where);
  const hit = await rows<Crossing & { servers: number }>(
    tx,
    sql`with ${usageCte(now, zones, where)},
      over as (
        select * from usage
        where allowance is not null and bytes >= allowance
          and (blocked_until is null or blocked_until <= ${at} or warned_100 is distinct from month_key)
      ), upd as (
        update users u set quota_blocked_until = o.next_start, quota_warned_100 = o.month_key, quota_warned_80 = o.month_key, updated_at = now()
        from over o where u.id = o.user_id
        returning u.id as user_id
      ), ${bumpServersOf("upd")}, ${auditEach("over", "quota.blocked")}
      select o.email, o.tz, o.bytes, o.allowance, o.next_start, o.warned_100 is distinct from o.month_key as notify,
        (select count(*) from bump)::int as servers
      from over o`,
  );
  const emailed = await enqueueEmails(
    tx,
    hit
      .filter((h) => h.notify)
      .map((h) => ({ to: h.email, template: quotaExceededEmail({ usedBytes: num(h.bytes), allowanceBytes: num(h.allowance), resetsAt: new Date(h.next_start), timeZone: h.tz }) })),
  );
  return { blocked: hit.length, emailed, servers: num(hit[0]?.servers) };
}

/** Accounts matching `where` past 80 % (under 100 %) of this month's allowance get the warning, once per month (in their zone). */
async function warnNear(tx: DbOrTx, now: Date, where: SQL, zones?: string): Promise<number> {
  zones ??= await knownZones(tx, where);
  const hit = await rows<Crossing>(
    tx,
    sql`with ${usageCte(now, zones, where)},
      near as (
        select * from usage
        where allowance is not null and bytes >= allowance * ${QUOTA_WARN_FRACTION} and bytes < allowance
          and warned_80 is distinct from month_key
      )
      update users u set quota_warned_80 = n.month_key, updated_at = now()
      from near n where u.id = n.user_id
      returning n.email, n.tz, n.bytes, n.allowance, n.next_start`,
  );
  return enqueueEmails(
    tx,
    hit.map((h) => ({ to: h.email, template: quotaWarningEmail({ usedBytes: num(h.bytes), allowanceBytes: num(h.allowance), resetsAt: new Date(h.next_start), timeZone: h.tz }) })),
  );
}

/** Job step: accounts with recent traffic at or over 100 % are paused (see blockOver). */
export async function blockExhaustedQuotas(now: Date = new Date()): Promise<{ blocked: number; emailed: number; servers: number }> {
  const db = await getDb();
  const result = await db.transaction((tx) => blockOver(tx, now, sql`u.status <> 'banned' and ${recentlyActive(now)}`));
  if (result.emailed) await notifyOutbox();
  return result;
}

/** Job step: the 80 % warning, once per account and month (in its zone). */
export async function warnNearQuota(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const count = await db.transaction((tx) => warnNear(tx, now, sql`u.status <> 'banned' and ${recentlyActive(now)}`));
  if (count) await notifyOutbox();
  return count;
}
