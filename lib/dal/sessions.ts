import "server-only";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getToken } from "next-auth/jwt";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db/client";
import { preparedPer } from "@/db/prepared";
import { userSessions, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { isId } from "@/lib/validation/ids";
import { accountMayAuthenticate, mustEnrolTwoFactor } from "./account-access";

/** A session nobody used for this long is over, whatever its cookie says. */
export const SESSION_IDLE_DAYS = 30;
/** `last_seen_at` moves at most this often per session, so a busy browser does not write on every request. */
export const LAST_SEEN_EVERY_MINUTES = 5;

/** What the session cookie claims, before the database has confirmed it. */
export interface SessionClaims {
  userId: string;
  /** Null for a cookie issued before sessions were recorded: such a cookie is refused. */
  sessionId: string | null;
}

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
 * Cookies already verified, by their exact text: what each one claims and
 * until when. Verifying a cookie is an HKDF derivation and an AES decryption
 * (about half a millisecond); a browser sends the same cookie with every
 * request. Only successful verifications are kept, never past the token's
 * own expiry, and the claims are only ever a question to the database
 * (authenticateSession), which answers on every request: an ended session
 * is refused as before.
 */
const verified = new LRUCache<string, { claims: SessionClaims; expiresAt: number }>({ max: 2000 });
let verifiedWith: unknown;

/**
 * The session cookie's claims (either cookie name: `__Secure-` behind TLS,
 * plain otherwise), verified with the app's secret. Only the Cookie header is
 * looked at: Auth.js would otherwise also take a JWT from an Authorization
 * header, which belongs to personal tokens here.
 */
export async function readSessionClaims(headers: Headers): Promise<SessionClaims | null> {
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  const secret = getRuntimeSecrets().authSecret;
  // Verified under another secret counts for nothing.
  if (verifiedWith !== secret) {
    verified.clear();
    verifiedWith = secret;
  }
  const key = cookie;
  const hit = verified.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.claims;
  const req = { headers: new Headers({ cookie }) };
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req, secret, secureCookie });
    if (token?.sub) {
      const claims = { userId: token.sub, sessionId: typeof token.sid === "string" ? token.sid : null };
      if (typeof token.exp === "number") verified.set(key, { claims, expiresAt: token.exp * 1000 });
      return claims;
    }
  }
  return null;
}

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
