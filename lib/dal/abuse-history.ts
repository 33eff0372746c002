import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound, validation } from "@/lib/errors";
import { incidentColumns, toIncidentDto, type IncidentDto, type IncidentRow } from "./abuse-incident";

/**
 * A user's abuse history (the seed's get_user_abuse_history): every incident
 * of one user, whatever its status, newest first, a page at a time over the
 * (user_id, detected_at, id) index. Admins only, checked here.
 */
const l = abuseDetectionLogs;
// Microsecond precision, so the cursor neither skips nor repeats incidents detected in the same millisecond.
const detectedKey = sql<string>`to_char(${l.detectedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id, extra] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!at || !id || extra !== undefined || Number.isNaN(Date.parse(at)) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
    throw validation("Invalid cursor", [{ path: "cursor", message: "Invalid cursor" }]);
  }
  return { at, id };
}

export async function listUserIncidents(
  actor: Actor,
  userId: string,
  opts: { limit?: number; cursor?: string | null } = {},
): Promise<{ items: IncidentDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "abuse.manage");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
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
  return {
    items: page.map((r) => toIncidentDto(r as IncidentRow)),
    nextCursor: found.length > limit && last ? Buffer.from(`${last.key}|${last.id}`).toString("base64url") : null,
  };
}

/** The account an admin names by email when opening an incident by hand (null: none). */
export async function findUserIdByEmail(actor: Actor, email: string): Promise<string | null> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  const [found] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  return found?.id ?? null;
}
