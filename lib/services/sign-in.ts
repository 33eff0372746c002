import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { recordAudit } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth/password";
import type { UserActor } from "@/lib/auth/actor";
import { checkSecondFactor } from "./two-factor";

/** How many more failures an address may have than one account. */
export const IP_FACTOR = 20;

export type SignInResult =
  | { ok: true; user: UserActor & { name: string | null } }
  | { ok: false; reason: "invalid" }
  /** The password was right and the account has two-factor: the same request again with `code`. */
  | { ok: false; reason: "two_factor_required" }
  /** The password was right and the code (or recovery code) was not. */
  | { ok: false; reason: "invalid_code" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Security-critical. Failures are counted per account and per address over a
 * sliding window; past the limit every attempt is refused (even a correct
 * password) until the window has passed. An address gets twenty times the
 * account limit, since many people (an office, a carrier NAT) share one address.
 */
export async function signInLockout(email: string, ip: string | null): Promise<number | null> {
  const env = getEnv();
  const db = await getDb();
  const windowMs = env.SIGNIN_LOCKOUT_MINUTES * 60_000;
  const since = new Date(Date.now() - windowMs);
  const [row] = await db
    .select({
      byEmail: sql<number>`count(*) filter (where lower(${signInAttempts.email}) = ${email.toLowerCase()})`.mapWith(Number),
      byIp: sql<number>`count(*) filter (where ${signInAttempts.ip} = ${ip ?? ""})`.mapWith(Number),
      oldest: sql<string | null>`min(${signInAttempts.createdAt})`,
    })
    .from(signInAttempts)
    .where(
      and(
        eq(signInAttempts.success, false),
        gte(signInAttempts.createdAt, since),
        sql`(lower(${signInAttempts.email}) = ${email.toLowerCase()} or ${signInAttempts.ip} = ${ip ?? ""})`,
      ),
    );
  if (!row) return null;
  if (row.byEmail < env.SIGNIN_MAX_FAILURES && row.byIp < env.SIGNIN_MAX_FAILURES * IP_FACTOR) return null;
  const oldest = row.oldest ? new Date(row.oldest).getTime() : Date.now();
  return Math.max(1, Math.ceil((oldest + windowMs - Date.now()) / 1000));
}

/**
 * Checks an email and password, and the second factor of an account that has
 * one; a wrong email and a wrong password are indistinguishable to the
 * caller. Only after a right password does the answer say that a code is
 * needed, or that the code was wrong. A wrong code counts as a failure
 * towards the lockout like a wrong password; a missing one does not (it is
 * the first step of a two-step form).
 */
export async function verifyCredentials(email: string, password: string, ip: string | null, code?: string): Promise<SignInResult> {
  const normalized = email.trim().toLowerCase();
  const retryAfter = await signInLockout(normalized, ip);
  if (retryAfter) return { ok: false, reason: "rate_limited", retryAfterSeconds: retryAfter };

  const db = await getDb();
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${normalized}`).limit(1);
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const banned = user?.status === "banned";
  const deleted = !!user?.deletedAt;
  const allowed = !!user && passwordOk && !banned && !deleted;
  const reason = !user ? "unknown_email" : !passwordOk ? "wrong_password" : banned ? "banned" : deleted ? "deleted" : null;

  if (!allowed) {
    await db.insert(signInAttempts).values({ email: normalized, ip, userId: user?.id ?? null, success: false, reason });
    if (user) await recordAudit(db, null, "auth.sign_in_failed", { type: "user", id: user.id }, { reason }, ip);
    return { ok: false, reason: "invalid" };
  }

  let secondFactor: "totp" | "recovery_code" | undefined;
  if (user.totpEnabledAt) {
    if (!code) return { ok: false, reason: "two_factor_required" };
    const checked = await checkSecondFactor(db, user, code);
    if (!checked.ok) {
      await db.insert(signInAttempts).values({ email: normalized, ip, userId: user.id, success: false, reason: "wrong_code" });
      await recordAudit(db, null, "auth.sign_in_failed", { type: "user", id: user.id }, { reason: "wrong_code" }, ip);
      return { ok: false, reason: "invalid_code" };
    }
    secondFactor = checked.method;
  }

  await db.insert(signInAttempts).values({ email: normalized, ip, userId: user.id, success: true, reason: null });
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  const actor: UserActor = { kind: "user", id: user.id, role: user.role, status: user.status, email: user.email };
  await recordAudit(db, actor, "auth.sign_in", { type: "user", id: user.id }, secondFactor ? { secondFactor } : undefined, ip);
  return { ok: true, user: { ...actor, name: user.name } };
}
