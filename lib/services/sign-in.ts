import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { recordAudit } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth/password";
import type { UserActor } from "@/lib/auth/actor";

/** How many more failures an address may have than one account. */
export const IP_FACTOR = 20;

export type SignInResult =
  | { ok: true; user: UserActor & { name: string | null } }
  | { ok: false; reason: "invalid" }
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

/** Checks an email and password; a wrong email and a wrong password are indistinguishable to the caller. */
export async function verifyCredentials(email: string, password: string, ip: string | null): Promise<SignInResult> {
  const normalized = email.trim().toLowerCase();
  const retryAfter = await signInLockout(normalized, ip);
  if (retryAfter) return { ok: false, reason: "rate_limited", retryAfterSeconds: retryAfter };

  const db = await getDb();
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${normalized}`).limit(1);
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const banned = user?.status === "banned";
  const allowed = !!user && passwordOk && !banned;
  const reason = !user ? "unknown_email" : !passwordOk ? "wrong_password" : banned ? "banned" : null;

  await db.insert(signInAttempts).values({ email: normalized, ip, userId: user?.id ?? null, success: allowed, reason });
  if (!allowed) {
    if (user) await recordAudit(db, null, "auth.sign_in_failed", { type: "user", id: user.id }, { reason }, ip);
    return { ok: false, reason: "invalid" };
  }
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  const actor: UserActor = { kind: "user", id: user.id, role: user.role, status: user.status, email: user.email };
  await recordAudit(db, actor, "auth.sign_in", { type: "user", id: user.id }, undefined, ip);
  return { ok: true, user: { ...actor, name: user.name } };
}
