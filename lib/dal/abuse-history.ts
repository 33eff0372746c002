import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, userThrottles, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";
import { incidentColumns, toIncidentDto, type IncidentDto, type IncidentRow } from "./abuse-incident";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";
import { throttleColumns, toThrottleDto, type ThrottleDto, type ThrottleRow } from "./abuse-throttles";

/**
 * A user's abuse history (the seed's get_user_abuse_history): every incident
 * of one user, whatever its status, newest first, a page at a time over the
 * (user_id, detected_at, id) index. Admins only, checked here.
 *
 * Each item adds `throttles` (an extension, nothing renamed): the throttles
 * linked to the incident (user_throttles.incident_id), newest first, in the
 * shape GET /api/admin/users/:id/throttle already shows. actionTaken has no
 * "throttled" value, so without them a throttle-only incident reads "None".
 * They come for the whole page in one query, never one per incident.
 */
export interface UserIncidentDto extends IncidentDto {
  throttles: ThrottleDto[];
}

const l = abuseDetectionLogs;
const t = userThrottles;
// Microsecond precision, so the cursor neither skips nor repeats incidents detected in the same millisecond.
const detectedKey = timestampKey(sql`${l.detectedAt}`);

export async function listUserIncidents(
  actor: Actor,
  userId: string,
  opts: { limit?: number; cursor?: string | null } = {},
): Promise<{ items: UserIncidentDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "abuse.manage");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const after = opts.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(opts.cursor, ["time", "id"] as const)) : null;
  // An id that cannot exist (a NUL byte, a megabyte of text) names no user, before any query sees it.
  if (!isId(userId)) throw notFound("User");
  const db = await getDb();
  const [[user], found] = await Promise.all([
    db.select({ id: users.id }).from(users).where(eq(users.id, userId)),
    db
      .select({ ...incidentColumns, key: detectedKey })
      .from(l)
      .innerJoin(users, eq(users.id, l.userId))
      .where(and(eq(l.userId, userId), after ? sql`(${l.detectedAt}, ${l.id}) < (${after.at}::timestamptz, ${after.id})` : undefined))
      .orderBy(desc(l.detectedAt), desc(l.id))
      .limit(limit + 1),
  ]);
  if (!user) throw notFound("User");
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  const linked = new Map<string, ThrottleDto[]>();
  if (page.length) {
    const throttles = await db
      .select(throttleColumns)
      .from(t)
      .where(and(eq(t.userId, userId), inArray(t.incidentId, page.map((r) => r.id))))
      .orderBy(desc(t.startsAt), desc(t.id));
    for (const r of throttles) {
      const dto = toThrottleDto(r as ThrottleRow);
      linked.set(dto.incidentId!, [...(linked.get(dto.incidentId!) ?? []), dto]);
    }
  }
  return {
    items: page.map((r) => ({ ...toIncidentDto(r as IncidentRow), throttles: linked.get(r.id) ?? [] })),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}

/** The account an admin names by email when opening an incident by hand (null: none). */
export async function findUserIdByEmail(actor: Actor, email: string): Promise<string | null> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  const [found] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  return found?.id ?? null;
}
