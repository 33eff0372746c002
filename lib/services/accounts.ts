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
import { enforce, LIMITS } from "./rate-limit";

export interface NewAccount {
  email: string;
  name?: string | null;
  password: string;
  role?: Role;
}

/** Sign-up by the visitor themselves: limited per address (before the costly hash), then an ordinary account. */
export async function signUp(input: Omit<NewAccount, "role">, ip: string | null) {
  await enforce(LIMITS.signUp(ip));
  return createAccount({ ...input, role: "user" }, null, ip);
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
        .values({ email, name: input.name ?? null, passwordHash, role: input.role ?? "user" })
        .returning({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status });
      const [plan] = await tx.select().from(plans).where(eq(plans.isDefault, true)).limit(1);
      if (plan) await tx.insert(subscriptions).values({ userId: created.id, planId: plan.id, priceCents: plan.priceCents });
      await enqueueEmail(tx, created.email, welcomeEmail({ name: created.name ?? created.email }));
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
