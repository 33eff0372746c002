import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { UserActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { GB, monthStartSql, nextMonthStartSql, safeTimeZone, timestamp, usedBytesSql, userPlanJoin, zoneParam } from "./quota-month";

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: unknown) => new Date(v as string).toISOString();

export interface QuotaSummary {
  planName: string;
  /** null: unlimited. */
  allowanceBytes: number | null;
  bytes: number;
  /** Start of the next calendar month in the account's time zone. */
  resetsAt: string;
  timeZone: string;
  /** Set while the account's devices are out of the server configs for this month. */
  blockedUntil: string | null;
}

/** This calendar month's use against the plan's allowance, in the account's time zone (devices and usage pages). */
export async function getQuotaSummary(actor: UserActor, now: Date = new Date()): Promise<QuotaSummary> {
  const db = await getDb();
  const [user] = await rows<{ time_zone: string | null }>(db, sql`select time_zone from users where id = ${actor.id}`);
  if (!user) throw new AppError("not_found", "Account not found");
  const tz = safeTimeZone(user.time_zone);
  const at = timestamp(now);
  const zone = zoneParam(tz);
  const [row] = await rows<Record<string, unknown>>(
    db,
    sql`select ${usedBytesSql(sql`u.id`, monthStartSql(zone, at), nextMonthStartSql(zone, at))} as bytes,
          ${nextMonthStartSql(zone, at)} as resets, pl.name as plan, pl.monthly_data_gb as gb,
          case when u.quota_blocked_until > ${at} then u.quota_blocked_until end as blocked
        from users u ${userPlanJoin}
        where u.id = ${actor.id}`,
  );
  return {
    planName: (row?.plan as string | null) ?? "Free",
    allowanceBytes: row?.gb === null || row?.gb === undefined ? null : Number(row.gb) * GB,
    bytes: num(row?.bytes),
    resetsAt: iso(row!.resets),
    timeZone: tz,
    blockedUntil: row?.blocked ? iso(row.blocked) : null,
  };
}

