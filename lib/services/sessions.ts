import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { userSessions, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { openSession, type SessionClaims } from "@/lib/dal/sessions";
import { notFound } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";

export type SessionEndReason = NonNullable<(typeof userSessions.$inferSelect)["endedReason"]>;

/**
 * Security-critical: a session id is 32 random bytes (base64url), so it
 * cannot be guessed; ids that would not pass the app's id check (a leading
 * `-` or `_`) are drawn again, so every session can be named at every door.
 */
export function newSessionId(): string {
  for (;;) {
    const id = randomBytes(32).toString("base64url");
    if (isId(id)) return id;
  }
}

/** Records a signed-in browser; its id goes into the session cookie. */
export async function startSession(userId: string, meta: { userAgent: string | null; ip: string | null }): Promise<string> {
  const db = await getDb();
  const id = newSessionId();
  await db.insert(userSessions).values({ id, userId, userAgent: meta.userAgent?.slice(0, 512) || null, ip: meta.ip });
  return id;
}

/**
 * Security-critical: ends a user's open sessions — all of them, or all but
 * `except` (the caller's own) — inside the caller's transaction, so that the
 * change that requires it (a ban, a new password) and the sign-outs commit
 * together. Returns how many were ended.
 */
export async function endUserSessions(db: DbOrTx, userId: string, opts: { reason: SessionEndReason; except?: string | null }): Promise<number> {
  const ended = await db
    .update(userSessions)
    .set({ endedAt: new Date(), endedReason: opts.reason })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt), opts.except ? ne(userSessions.id, opts.except) : undefined))
    .returning({ id: userSessions.id });
  return ended.length;
}

/**
 * Sign-out: ends the session the cookie names (both the app's sign-out and
 * Auth.js's own endpoint come here). Ending an already ended session does
 * nothing, so the two paths together write and audit once.
 */
export async function endSignedOutSession(claims: SessionClaims, ip: string | null): Promise<boolean> {
  if (!claims.sessionId || !isId(claims.sessionId)) return false;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(userSessions)
      .set({ endedAt: new Date(), endedReason: "signed_out" })
      .from(users)
      .where(and(eq(userSessions.id, claims.sessionId!), eq(userSessions.userId, claims.userId), isNull(userSessions.endedAt), eq(users.id, userSessions.userId)))
      .returning({ id: users.id, email: users.email, role: users.role, status: users.status });
    if (!ended) return false;
    await recordAudit(tx, { kind: "user", ...ended }, "auth.sign_out", { type: "user", id: ended.id }, undefined, ip);
    return true;
  });
}

/** Signs one of the caller's own sessions out; another user's, an ended or an unknown id is 404. */
export async function revokeSession(actor: UserActor, sessionId: string, ip: string | null): Promise<void> {
  if (!isId(sessionId)) throw notFound("Session");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [ended] = await tx
      .update(userSessions)
      .set({ endedAt: new Date(), endedReason: "revoked" })
      .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, actor.id), openSession()))
      .returning({ id: userSessions.id });
    if (!ended) throw notFound("Session");
    await recordAudit(tx, actor, "session.revoked", { type: "user_session", id: sessionId }, undefined, ip);
  });
}

/** "Sign out everywhere else": every open session of the caller but the one making the request (all of them for a personal token). */
export async function revokeOtherSessions(actor: UserActor, currentSessionId: string | null, ip: string | null): Promise<{ ended: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const ended = await endUserSessions(tx, actor.id, { reason: "revoked_all", except: currentSessionId });
    await recordAudit(tx, actor, "session.revoked_all", { type: "user", id: actor.id }, { ended, keptCurrent: !!currentSessionId }, ip);
    return { ended };
  });
}

/** Ended and long-idle sessions are kept this long (the settings list and the audit trail), then deleted. */
export const SESSION_KEEP_DAYS = 90;

/** Housekeeping (the telemetry job): one set-based delete. */
export async function pruneSessions(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const before = new Date(now.getTime() - SESSION_KEEP_DAYS * 86_400_000);
  const gone = await db
    .delete(userSessions)
    .where(or(lt(userSessions.endedAt, before), lt(userSessions.lastSeenAt, before)))
    .returning({ id: userSessions.id });
  return gone.length;
}
