import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { userThrottles, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";

/**
 * Reads of user throttles for the admin pages: the one in force and the
 * history of what was done, by whom. Admins only, checked here. A throttle
 * is in force while it is not lifted and `until` lies ahead — whether or not
 * the expiry job has recorded its end yet.
 */
export interface ThrottleDto {
  id: string;
  userId: string;
  rateKbit: number;
  startsAt: string;
  until: string;
  reason: string | null;
  incidentId: string | null;
  /** Who set it (email); null for the automatic rule. */
  createdBy: string | null;
  /** When it ended: lifted early, replaced by another, or recorded as expired by the job. */
  liftedAt: string | null;
  liftedBy: string | null;
  active: boolean;
}

const t = userThrottles;
const emailOf = (id: AnyPgColumn) => sql<string | null>`(select e.email from users e where e.id = ${id})`;
export const ACTIVE_THROTTLE = sql`${t.liftedAt} is null and ${t.until} > now()`;

/** A throttle as every reader selects it (with who set and lifted it); toThrottleDto reads it. */
export const throttleColumns = {
  id: t.id,
  userId: t.userId,
  rateKbit: t.rateKbit,
  startsAt: t.startsAt,
  until: t.until,
  reason: t.reason,
  incidentId: t.incidentId,
  createdBy: emailOf(t.createdById),
  liftedAt: t.liftedAt,
  liftedBy: emailOf(t.liftedById),
  active: sql<boolean>`(${ACTIVE_THROTTLE})`,
};

export type ThrottleRow = { [K in keyof typeof throttleColumns]: unknown };
const iso = (d: unknown) => (d ? new Date(d as string | Date).toISOString() : null);

export function toThrottleDto(r: ThrottleRow): ThrottleDto {
  return {
    id: String(r.id),
    userId: String(r.userId),
    rateKbit: Number(r.rateKbit),
    startsAt: iso(r.startsAt)!,
    until: iso(r.until)!,
    reason: (r.reason as string | null) ?? null,
    incidentId: (r.incidentId as string | null) ?? null,
    createdBy: (r.createdBy as string | null) ?? null,
    liftedAt: iso(r.liftedAt),
    liftedBy: (r.liftedBy as string | null) ?? null,
    active: r.active === true || r.active === "t",
  };
}

export const THROTTLE_HISTORY = 20;

/** The throttle in force for a user (null: none) and the latest ones, newest first; 404 for an unknown user. */
export async function getUserThrottles(actor: Actor, userId: string): Promise<{ current: ThrottleDto | null; history: ThrottleDto[] }> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  const [[user], found] = await Promise.all([
    db.select({ id: users.id }).from(users).where(eq(users.id, userId)),
    db.select(throttleColumns).from(t).where(eq(t.userId, userId)).orderBy(desc(t.createdAt), desc(t.id)).limit(THROTTLE_HISTORY),
  ]);
  if (!user) throw notFound("User");
  const history = found.map((r) => toThrottleDto(r as ThrottleRow));
  return { current: history.find((h) => h.active) ?? null, history };
}
