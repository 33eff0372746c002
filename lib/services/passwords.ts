import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { renderEmail } from "@/lib/email/render";
import { securityNoticeEmail } from "@/lib/email/templates/account-security";
import { passwordResetEmail } from "@/lib/email/templates/password-reset";
import { AppError } from "@/lib/errors";
import { consumeEmailToken, EMAIL_TOKEN_TTL_MINUTES, issueEmailToken, voidEmailTokens } from "./email-tokens";
import { enforce, hit, type Limit } from "./rate-limit";
import { endUserSessions } from "./sessions";

/**
 * Passwords: a change by the signed-in owner (ends every other session) and
 * a reset by email (ends them all). Hashing is lib/auth/password's.
 */

/** Password checks from a signed-in session: enough for typos, not for guessing the password of a stolen session. */
const passwordChecks = (userId: string): Limit[] => [{ key: `password-check:user:${userId}`, max: 10, windowSeconds: 15 * 60 }];
/** Reset requests per address: a family behind one address, not a script walking a list of emails. */
const resetRequestsByIp = (ip: string | null): Limit => ({ key: `password-reset:ip:${ip ?? "unknown"}`, max: 20, windowSeconds: 3600 });
/** Reset emails per account address: past it the request is answered alike and nothing is sent (no mailbox flooding). */
const resetEmailsByAddress = (email: string): Limit => ({ key: `password-reset:email:${email}`, max: 3, windowSeconds: 3600 });
/** New passwords set with a link, per address: each costs a password hash before the token is looked at. */
const resetConfirmsByIp = (ip: string | null): Limit => ({ key: `password-reset-confirm:ip:${ip ?? "unknown"}`, max: 30, windowSeconds: 3600 });

const wrong = (path: string, message: string) => new AppError("validation_error", message, [{ path, message }]);

/**
 * Security-critical: the owner changes their password with the current one.
 * Every other session of the account ends in the same transaction (the one
 * making the request stays signed in; with a personal token, none does).
 * The update is conditional on the hash that was checked, so two changes
 * racing cannot both pass on the same old password.
 */
export async function changePassword(
  actor: UserActor,
  input: { currentPassword: string; newPassword: string },
  currentSessionId: string | null,
  ip: string | null,
): Promise<{ sessionsEnded: number }> {
  await enforce(passwordChecks(actor.id));
  const db = await getDb();
  const [u] = await db.select({ passwordHash: users.passwordHash, email: users.email }).from(users).where(eq(users.id, actor.id));
  if (!u) throw new AppError("unauthenticated", "Sign in to continue");
  if (!(await verifyPassword(input.currentPassword, u.passwordHash))) throw wrong("currentPassword", "Your current password is not right");
  if (input.newPassword === input.currentPassword) throw wrong("newPassword", "Choose a password different from the current one");
  const newHash = await hashPassword(input.newPassword);
  const ended = await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ passwordHash: newHash, updatedAt: new Date() })
      .where(and(eq(users.id, actor.id), eq(users.passwordHash, u.passwordHash!)))
      .returning({ id: users.id });
    if (!changed) throw new AppError("conflict", "Your password was changed meanwhile: sign in again with the new one.");
    const n = await endUserSessions(tx, actor.id, { reason: "password_changed", except: currentSessionId });
    await recordAudit(tx, actor, "auth.password_changed", { type: "user", id: actor.id }, { sessionsEnded: n }, ip);
    await enqueueEmail(tx, u.email, securityNoticeEmail("password_changed"));
    return n;
  });
  await notifyOutbox();
  return { sessionsEnded: ended };
}

/**
 * Security-critical: "forgot password". The caller always gets the same
 * answer, whether the address has an account or not (the route answers 202);
 * only an account's owner receives a link, by email through the outbox. The
 * email is rendered for unknown addresses too, so the work (and the time it
 * takes) does not tell them apart. Limited per address of the caller (429)
 * and, silently, per account address.
 */
export async function requestPasswordReset(emailInput: string, ip: string | null): Promise<void> {
  await hit(resetRequestsByIp(ip));
  const email = emailInput.trim().toLowerCase();
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, status: users.status })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.deletedAt)))
    .limit(1);
  const minutes = EMAIL_TOKEN_TTL_MINUTES.password_reset;
  // Counted for every address asked about, known or not, so that this step does not tell them apart either.
  const mayEmail = await underLimit(resetEmailsByAddress(email));
  if (!user || user.status === "banned" || !mayEmail) {
    await renderEmail(passwordResetEmail({ token: "x".repeat(43), minutes }));
    return;
  }
  await db.transaction(async (tx) => {
    const { token } = await issueEmailToken(tx, { userId: user.id, email: user.email, purpose: "password_reset" });
    await enqueueEmail(tx, user.email, passwordResetEmail({ token, minutes }));
    await recordAudit(tx, null, "auth.password_reset_requested", { type: "user", id: user.id }, undefined, ip);
  });
  await notifyOutbox();
}

async function underLimit(limit: Limit): Promise<boolean> {
  try {
    await hit(limit);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return false;
    throw err;
  }
}

/**
 * Security-critical: a reset link sets a new password. The token is spent by
 * one conditional UPDATE in the transaction that changes the password, so of
 * two requests with the same token exactly one succeeds. Every session of the
 * account ends and its other reset links die with it. The link proves the
 * mailbox, so the address counts as verified. Two-factor stays on: a reset
 * changes the password, not the second factor.
 */
export async function confirmPasswordReset(token: string, newPassword: string, ip: string | null): Promise<void> {
  await hit(resetConfirmsByIp(ip));
  const newHash = await hashPassword(newPassword);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const owner = await consumeEmailToken(tx, token, "password_reset");
    const [user] = owner
      ? await tx
          .update(users)
          .set({ passwordHash: newHash, emailVerified: sql`coalesce(${users.emailVerified}, now())`, updatedAt: new Date() })
          .where(and(eq(users.id, owner.userId), sql`lower(${users.email}) = lower(${owner.email})`, isNull(users.deletedAt)))
          .returning({ id: users.id, email: users.email, role: users.role, status: users.status })
      : [];
    if (!user) throw wrong("token", "This reset link is not valid any more: it was used, it expired, or it was replaced. Ask for a new one.");
    await voidEmailTokens(tx, user.id, "password_reset");
    const ended = await endUserSessions(tx, user.id, { reason: "password_reset" });
    await recordAudit(tx, { kind: "user", ...user }, "auth.password_reset", { type: "user", id: user.id }, { sessionsEnded: ended }, ip);
    await enqueueEmail(tx, user.email, securityNoticeEmail("password_reset"));
  });
  await notifyOutbox();
}
