import "server-only";
import { sql, type SQL } from "drizzle-orm";

/** Data allowances are in GB of 10^9 bytes, as on the plan page. */
export const GB = 1_000_000_000;
/** The share of the allowance at which the first warning goes out. */
export const QUOTA_WARN_FRACTION = 0.8;

// IANA names only ("Europe/Paris", "UTC", "Etc/GMT+5"). Offsets such as
// "+05:00" are refused: PostgreSQL reads them with the POSIX sign, the
// opposite of ISO 8601, so they would move the month the wrong way.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The account's time zone when it is a name both this runtime and the
 * database understand, else UTC: a bad value in users.time_zone must never
 * break a page or the quota job for everyone else.
 */
export function safeTimeZone(tz: string | null | undefined): string {
  if (!tz || !ZONE_NAME.test(tz)) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

/*
 * The calendar month containing `at`, in zone `tz` (both SQL expressions):
 * local midnight on the 1st, converted back to an instant. Daylight saving is
 * the database's business: `at time zone` applies the offset of that date.
 */
export const monthStartSql = (tz: SQL, at: SQL) => sql`(date_trunc('month', ${at} at time zone ${tz}) at time zone ${tz})`;
export const nextMonthStartSql = (tz: SQL, at: SQL) =>
  sql`((date_trunc('month', ${at} at time zone ${tz}) + interval '1 month') at time zone ${tz})`;
/** 'YYYY-MM' of the month containing `at` in `tz`: what users.quota_warned_80/100 hold. */
export const monthKeySql = (tz: SQL, at: SQL) => sql`to_char(${at} at time zone ${tz}, 'YYYY-MM')`;

/**
 * The plan that applies to users row `u`: its live subscription's, else the
 * default plan (the same rule as the device limit). Exposes `pl`.
 */
export const userPlanJoin = sql`
  left join lateral (select s.plan_id from subscriptions s where s.user_id = u.id and s.status <> 'cancelled'
                     order by s.started_at desc limit 1) sub on true
  left join plans pl on pl.id = coalesce(sub.plan_id, (select d.id from plans d where d.is_default limit 1))`;

/** Bytes (up + down) of `userId`'s traffic samples in [from, to): the one definition of "use". */
export const usedBytesSql = (userId: SQL, from: SQL, to: SQL) =>
  sql`coalesce((select sum(t.bytes_up + t.bytes_down) from traffic_samples t
                where t.user_id = ${userId} and t.sampled_at >= ${from} and t.sampled_at < ${to}), 0)::numeric`;

export const timestamp = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const zoneParam = (tz: string) => sql`${tz}::text`;
