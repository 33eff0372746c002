import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { appSettings, userRecoveryCodes, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { verifyPassword } from "@/lib/auth/password";
import { authorizeUser, roleCan } from "@/lib/auth/policy";
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, normaliseTotpCode, stepStart, totpUri } from "@/lib/auth/totp";
import { seal, unseal } from "@/lib/crypto/seal";
import { REQUIRE_STAFF_TWO_FACTOR } from "@/lib/dal/account-access";
import { isStaffTwoFactorRequired } from "@/lib/dal/two-factor";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { securityNoticeEmail } from "@/lib/email/templates/account-security";
import { AppError } from "@/lib/errors";
import { enforce, type Limit } from "./rate-limit";

/**
 * Two-factor sign-in (TOTP, lib/auth/totp.ts): enrolment, recovery codes,
 * turning it off, an admin's reset, and the staff requirement. The secret is
 * sealed at rest like WireGuard keys (lib/crypto/seal.ts) and leaves the
 * server once, in the setup answer to its owner.
 */

/** Attempts at a code or password from a signed-in session: enough for typos, not for guessing. */
const codeAttempts = (userId: string): Limit[] => [{ key: `2fa-attempt:user:${userId}`, max: 10, windowSeconds: 15 * 60 }];

export type SecondFactorResult = { ok: true; method: "totp" | "recovery_code" } | { ok: false };

/**
 * Security-critical: checks a second factor of an enrolled account and spends
 * it. A TOTP code is accepted ±1 step of now and only once: the step it
 * matched must be later than the last one used (kept in the rate-limit
 * table's row for this account, moved by one conditional upsert, so two
 * requests racing with the same code cannot both pass). A recovery code is
 * spent by one conditional UPDATE. Anything else is a failure.
 */
export async function checkSecondFactor(db: DbOrTx, user: { id: string; totpSecretSealed: string | null }, code: string): Promise<SecondFactorResult> {
  if (!user.totpSecretSealed) return { ok: false };
  if (normaliseTotpCode(code)) {
    const step = await matchTotp(unseal(user.totpSecretSealed), code);
    if (step === null) return { ok: false };
    return (await claimTimeStep(db, user.id, step)) ? { ok: true, method: "totp" } : { ok: false };
  }
  const hash = hashRecoveryCode(code);
  if (!hash) return { ok: false };
  const [spent] = await db
    .update(userRecoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(userRecoveryCodes.userId, user.id), eq(userRecoveryCodes.codeHash, hash), isNull(userRecoveryCodes.usedAt)))
    .returning({ id: userRecoveryCodes.id });
  return spent ? { ok: true, method: "recovery_code" } : { ok: false };
}

/** Records `step` as the last TOTP step used by this account; false when it (or a later one) was used already. */
async function claimTimeStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const at = stepStart(step).toISOString();
  const claimed = await rows<{ key: string }>(
    db,
    sql`insert into rate_limits (key, window_start, count) values (${`totp-step:user:${userId}`}, ${at}::timestamptz, 1)
        on conflict (key) do update set window_start = excluded.window_start, count = rate_limits.count + 1
        where rate_limits.window_start < excluded.window_start
        returning key`,
  );
  return claimed.length === 1;
}

/** Step one of enrolment: a new secret (sealed, pending until confirmed), for the QR code and to type in by hand. */
export async function startTwoFactorSetup(actor: UserActor): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  const db = await getDb();
  const [u] = await db
    .update(users)
    .set({ totpPendingSealed: seal(secret), updatedAt: new Date() })
    .where(and(eq(users.id, actor.id), isNull(users.totpEnabledAt)))
    .returning({ email: users.email });
  if (!u) throw new AppError("conflict", "Two-factor sign-in is already on. Turn it off first to set up a new authenticator.");
  return { secret, otpauthUrl: totpUri(secret, u.email) };
}

/**
 * Step two: a first code from the app proves it holds the secret. Two-factor
 * is then on, and ten recovery codes are made: returned once, stored hashed.
 */
export async function enableTwoFactor(actor: UserActor, code: string, ip: string | null): Promise<{ recoveryCodes: string[] }> {
  await enforce(codeAttempts(actor.id));
  const db = await getDb();
  const [u] = await db.select({ enabledAt: users.totpEnabledAt, pending: users.totpPendingSealed }).from(users).where(eq(users.id, actor.id));
  if (!u) throw new AppError("unauthenticated", "Sign in to continue");
  if (u.enabledAt) throw new AppError("conflict", "Two-factor sign-in is already on.");
  if (!u.pending) throw new AppError("conflict", "Start the setup first: there is no authenticator waiting to be confirmed.");
  const step = await matchTotp(unseal(u.pending), code);
  if (step === null) throw codeError("That code is not right. Enter the 6-digit code your app shows now.");
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    // Conditional on the secret the code was checked against: a setup started meanwhile (another tab) wins, and this fails.
    const [on] = await tx
      .update(users)
      .set({ totpSecretSealed: u.pending, totpPendingSealed: null, totpEnabledAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, actor.id), isNull(users.totpEnabledAt), eq(users.totpPendingSealed, u.pending!)))
      .returning({ email: users.email });
    if (!on) throw new AppError("conflict", "The setup changed meanwhile (another window?). Start again.");
    await claimTimeStep(tx, actor.id, step);
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, actor.id));
    await tx.insert(userRecoveryCodes).values(codes.map((c) => ({ userId: actor.id, codeHash: hashRecoveryCode(c)! })));
    await recordAudit(tx, actor, "auth.two_factor_enabled", { type: "user", id: actor.id }, undefined, ip);
    await enqueueEmail(tx, on.email, securityNoticeEmail("two_factor_enabled"));
  });
  await notifyOutbox();
  return { recoveryCodes: codes };
}

/** Turning it off takes the password and a second factor (a code or a recovery code), so a stolen session alone cannot. */
export async function disableTwoFactor(actor: UserActor, input: { password: string; code?: string; recoveryCode?: string }, ip: string | null): Promise<void> {
  await enforce(codeAttempts(actor.id));
  const db = await getDb();
  const [u] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash, totpSecretSealed: users.totpSecretSealed, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, actor.id));
  if (!u) throw new AppError("unauthenticated", "Sign in to continue");
  if (!u.enabledAt) throw new AppError("conflict", "Two-factor sign-in is not on.");
  if (roleCan(actor.role, "support.work") && (await isStaffTwoFactorRequired())) {
    throw new AppError("conflict", "Two-factor sign-in is required for staff accounts: it cannot be turned off.");
  }
  if (!(await verifyPassword(input.password, u.passwordHash))) {
    throw new AppError("validation_error", "Your password is not right", [{ path: "password", message: "Your password is not right" }]);
  }
  await db.transaction(async (tx) => {
    const second = await checkSecondFactor(tx, u, (input.code ?? input.recoveryCode)!);
    if (!second.ok) throw codeError("That code is not right. Enter the current code from your app, or an unused recovery code.", input.code ? "code" : "recoveryCode");
    await turnOff(tx, actor.id);
    await recordAudit(tx, actor, "auth.two_factor_disabled", { type: "user", id: actor.id }, { method: second.method }, ip);
    await enqueueEmail(tx, u.email, securityNoticeEmail("two_factor_disabled"));
  });
  await notifyOutbox();
}

/** An admin turns a user's two-factor off (a lost phone and no recovery code), audited. Not their own: Settings does that with a code. */
export async function resetTwoFactor(actor: Actor, userId: string, ip: string | null): Promise<void> {
  authorizeUser(actor, "users.manage");
  if (actor.id === userId) throw new AppError("forbidden", "Turn your own two-factor sign-in off in Settings");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [u] = await tx.select({ email: users.email, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId)).for("update");
    if (!u) throw new AppError("not_found", "User not found");
    await turnOff(tx, userId);
    await recordAudit(tx, actor, "auth.two_factor_reset", { type: "user", id: userId }, { wasEnabled: !!u.enabledAt }, ip);
    if (u.enabledAt) await enqueueEmail(tx, u.email, securityNoticeEmail("two_factor_reset"));
  });
  await notifyOutbox();
}

async function turnOff(tx: DbOrTx, userId: string) {
  await tx.update(users).set({ totpSecretSealed: null, totpPendingSealed: null, totpEnabledAt: null, updatedAt: new Date() }).where(eq(users.id, userId));
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
}

/**
 * Admins require two-factor of staff (agents and admins), or stop requiring
 * it. An admin turns it on only with two-factor on their own account, so the
 * switch never sends the person flipping it to the enrolment page.
 */
export async function setStaffTwoFactorRequired(actor: Actor, required: boolean, ip: string | null = null): Promise<{ requireStaffTwoFactor: boolean }> {
  authorizeUser(actor, "users.manage");
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (required) {
      const [me] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, actor.id), isNotNull(users.totpEnabledAt)));
      if (!me) throw new AppError("conflict", "Turn on two-factor sign-in for your own account first (Settings), then require it of staff.");
    }
    await tx
      .insert(appSettings)
      .values({ key: REQUIRE_STAFF_TWO_FACTOR, value: required, updatedById: actor.id, updatedAt: new Date() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: required, updatedById: actor.id, updatedAt: new Date() } });
    await recordAudit(tx, actor, "settings.changed", { type: "setting", id: REQUIRE_STAFF_TWO_FACTOR }, { value: required }, ip);
    return { requireStaffTwoFactor: required };
  });
}

function codeError(message: string, path = "code") {
  return new AppError("validation_error", message, [{ path, message }]);
}
