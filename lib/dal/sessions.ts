import "server-only";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { preparedPer } from "@/db/prepared";
import { userSessions, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { readSessionClaims, type SessionClaims } from "@/lib/auth/session-claims";
import { isId } from "@/lib/validation/ids";
import { accountMayAuthenticate, mustEnrolTwoFactor } from "./account-access";

/** A session nobody used for this long is over, whatever its cookie says. */
export const SESSION_IDLE_DAYS = 30;
/** `last_seen_at` moves at most this often per session, so a busy browser does not write on every request. */
export const LAST_SEEN_EVERY_MINUTES = 5;

export { readSessionClaims, type SessionClaims };

export interface CurrentSession {
  sessionId: string;
  actor: UserActor;
  /** A staff account without two-factor while admins require it: it may only enrol (or sign out). */
  twoFactorSetupRequired: boolean;
}

export interface SessionDto {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
}

/** Not ended and used within the idle limit: the sessions that still open the door, and the ones a user sees. */
export const openSession = () =>
  and(isNull(userSessions.endedAt), gt(userSessions.lastSeenAt, sql`now() - ${sql.raw(`interval '${SESSION_IDLE_DAYS} days'`)}`));

const lastSeenCutoff = () => sql`now() - ${sql.raw(`interval '${LAST_SEEN_EVERY_MINUTES} minutes'`)}`;

/**
 * Security-critical: the one check behind every cookie, for route handlers
 * and for pages and actions alike. The session row and its user are read in
 * one query; a session that was ended (sign-out, revoked, ban, password
 * change), idle past the limit, of another user than the cookie names, or of
 * a banned or deleted account yields null, and so does a cookie without a
 * session id. Every instance asks the database, so an ended session stops
 * everywhere at once.
 */
const sessionCheck = preparedPer((db) =>
  db
    .select({
      sessionId: userSessions.id,
      stale: sql<boolean>`${userSessions.lastSeenAt} < ${lastSeenCutoff()}`,
      id: users.id,
      email: users.email,
      role: users.role,
      status: users.status,
      twoFactorSetupRequired: mustEnrolTwoFactor(),
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.id, sql.placeholder("sessionId")), eq(userSessions.userId, sql.placeholder("userId")), openSession(), accountMayAuthenticate()))
    .limit(1)
    .prepare("session_check"),
);

export async function authenticateSession(claims: SessionClaims): Promise<CurrentSession | null> {
  if (!claims.sessionId || !isId(claims.sessionId)) return null;
  const db = await getDb();
  const [row] = await sessionCheck(db).execute({ sessionId: claims.sessionId, userId: claims.userId });
  if (!row) return null;
  if (row.stale) {
    // Conditional on staleness in SQL too: instances racing on the same session write once.
    await db
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(userSessions.id, row.sessionId), isNull(userSessions.endedAt), lt(userSessions.lastSeenAt, lastSeenCutoff())));
  }
  return {
    sessionId: row.sessionId,
    actor: { kind: "user", id: row.id, email: row.email, role: row.role, status: row.status },
    twoFactorSetupRequired: row.twoFactorSetupRequired === true,
  };
}

/** The request's session and user from its cookie, or null: what both doors call. */
export async function sessionFromHeaders(headers: Headers): Promise<CurrentSession | null> {
  const claims = await readSessionClaims(headers);
  return claims ? authenticateSession(claims) : null;
}

/** The caller's open sessions, newest first; `current` marks the one making the request (none for a personal token). */
export async function listOpenSessions(actor: UserActor, currentSessionId: string | null): Promise<SessionDto[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: userSessions.id, userAgent: userSessions.userAgent, ip: userSessions.ip, createdAt: userSessions.createdAt, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .where(and(eq(userSessions.userId, actor.id), openSession()))
    .orderBy(desc(userSessions.createdAt), desc(userSessions.id));
  return rows.map((r) => ({
    id: r.id,
    current: r.id === currentSessionId,
    userAgent: r.userAgent,
    ip: r.ip,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
  }));
}
