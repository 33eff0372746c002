import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { ACCOUNT_STATUSES, ROLES, plans, subscriptions, users, type AccountStatus, type Role } from "@/db/schema";
import { AppError, validation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { bumpServersOfUser } from "@/lib/services/servers";
import { endUserSessions } from "@/lib/services/sessions";
import { welcomeEmail } from "@/lib/email/templates/welcome";
import { accountExistsEmail } from "@/lib/email/templates/account-security";
import { getEnv } from "@/lib/env";
import { queueVerificationEmail } from "./email-verification";
import { enforce, LIMITS } from "./rate-limit";

export interface NewAccount {
  email: string;
  name?: string | null;
  password: string;
  role?: Role;
  /**
   * Whether the address counts as verified. Accounts made by an admin, the
   * CLI, the demo seed (and tests) do; a visitor's own sign-up does not.
   */
  emailVerified?: boolean;
  /** Send a verification link instead of the welcome email (sign-up under SIGNUP_MODE=verify). */
  sendVerification?: boolean;
}

export type SignUpOutcome =
  /** The account exists and may be signed in to at once (SIGNUP_MODE=open). */
  | { outcome: "created"; user: Awaited<ReturnType<typeof createAccount>> }
  /** SIGNUP_MODE=verify: "check your email", for a new address and a taken one alike. */
  | { outcome: "check_email" };

/**
 * Sign-up by the visitor themselves, under SIGNUP_MODE: `closed` refuses it
 * (admins still create accounts); `open` creates the account at once;
 * `verify` creates it unverified with a link to confirm the address, and
 * answers a taken address exactly as a new one (its owner gets an email
 * instead), so the form does not tell who has an account. Limited per
 * address (before the costly hash).
 */
export async function signUp(input: Omit<NewAccount, "role" | "emailVerified" | "sendVerification">, ip: string | null): Promise<SignUpOutcome> {
  const mode = getEnv().SIGNUP_MODE;
  if (mode === "closed") throw new AppError("forbidden", "Sign-up is closed: ask an administrator for an account.");
  await enforce(LIMITS.signUp(ip));
  if (mode === "open") return { outcome: "created", user: await createAccount({ ...input, role: "user", emailVerified: false }, null, ip) };
  try {
    await createAccount({ ...input, role: "user", emailVerified: false, sendVerification: true }, null, ip);
  } catch (err) {
    if (!(err instanceof AppError && err.code === "conflict")) throw err;
    await tellOwnerOfSignUpAttempt(input.email, ip);
  }
  return { outcome: "check_email" };
}

/** A sign-up with a taken address (verify mode): the owner hears of it, at most a few times an hour. */
async function tellOwnerOfSignUpAttempt(emailInput: string, ip: string | null) {
  const email = emailInput.trim().toLowerCase();
  try {
    await enforce([{ key: `sign-up:taken:${email}`, max: 3, windowSeconds: 3600 }]);
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return;
    throw err;
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (!owner) return;
    await enqueueEmail(tx, owner.email, accountExistsEmail());
    await recordAudit(tx, null, "account.sign_up_taken", { type: "user", id: owner.id }, undefined, ip);
  });
  await notifyOutbox();
}

/**
 * Creates an account on the default plan and queues the welcome email, in
 * one transaction: a duplicate email changes nothing.
 */
export async function createAccount(input: NewAccount, actor: Actor | null, ip: string | null = null) {
  const db = await getDb();
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
      if (existing) throw new AppError("conflict", "An account with this email already exists", [{ path: "email", message: "An account with this email already exists" }]);
      const [created] = await tx
        .insert(users)
        .values({ email, name: input.name ?? null, passwordHash, role: input.role ?? "user", emailVerified: input.emailVerified === false ? null : new Date() })
        .returning({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status });
      const [plan] = await tx.select().from(plans).where(eq(plans.isDefault, true)).limit(1);
      if (plan) await tx.insert(subscriptions).values({ userId: created.id, planId: plan.id, priceCents: plan.priceCents });
      if (input.sendVerification) await queueVerificationEmail(tx, created);
      else await enqueueEmail(tx, created.email, welcomeEmail({ name: created.name ?? created.email }));
      await recordAudit(tx, actor, "account.created", { type: "user", id: created.id }, { role: created.role }, ip);
      return created;
    });
    await notifyOutbox();
    return user;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "An account with this email already exists", [{ path: "email", message: "An account with this email already exists" }]);
    throw err;
  }
}

/**
 * Security-critical: an admin cannot demote, suspend or ban themself (the
 * last admin could otherwise lock everyone out), whichever door they use.
 */
function refuseSelf(actor: Actor, userId: string, what: string) {
  if (actor.kind === "user" && actor.id === userId) throw new AppError("forbidden", `You cannot change your own ${what}`);
}

/** The admin console's and the API's role change. */
export async function changeUserRole(actor: Actor, userId: string, role: Role): Promise<void> {
  authorizeUser(actor, "users.manage");
  if (!ROLES.includes(role)) throw validation("Invalid role");
  refuseSelf(actor, userId, "role");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [u] = await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId)).returning({ id: users.id });
    if (!u) throw new AppError("not_found", "User not found");
    await recordAudit(tx, actor, "account.role_changed", { type: "user", id: userId }, { role });
  });
}

/** The admin console's and the API's status change. */
export async function changeUserStatus(actor: Actor, userId: string, status: AccountStatus, reason: string | null) {
  authorizeUser(actor, "users.manage");
  if (!ACCOUNT_STATUSES.includes(status)) throw validation("Invalid status");
  return setAccountStatus(actor, userId, status, reason);
}

/** Also what the abuse workflows call, under their own permission (or as the system). */
export async function setAccountStatus(actor: Actor, userId: string, status: AccountStatus, reason: string | null) {
  refuseSelf(actor, userId, "status");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [u] = await tx
      .update(users)
      .set({ status, statusReason: reason, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning({ id: users.id, status: users.status });
    if (!u) throw new AppError("not_found", "User not found");
    // Suspended and banned accounts leave every server config at the next sync.
    await bumpServersOfUser(tx, userId);
    // A ban signs the account out everywhere, committed with the ban itself.
    if (status === "banned") await endUserSessions(tx, userId, { reason: "banned" });
    await recordAudit(tx, actor, "account.status_changed", { type: "user", id: userId }, { status, reason });
    return u;
  });
}
