import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { verifyEmailEmail } from "@/lib/email/templates/verify-email";
import { emailVerificationPending } from "@/lib/dal/email-verification";
import { AppError } from "@/lib/errors";
import { consumeEmailToken, EMAIL_TOKEN_TTL_MINUTES, issueEmailToken, voidEmailTokens } from "./email-tokens";
import { enforce, type Limit } from "./rate-limit";

/**
 * Email verification under SIGNUP_MODE=verify: a link at sign-up and on
 * request; until the address is confirmed the account signs in and works,
 * but adds no device (403 `email_not_verified`, checked by the peer service).
 */

const resends = (userId: string): Limit[] => [{ key: `verify-email:user:${userId}`, max: 5, windowSeconds: 3600 }];

/** Queues a verification link for the account, in the caller's transaction. */
export async function queueVerificationEmail(tx: DbOrTx, user: { id: string; email: string; name: string | null }): Promise<void> {
  const { token } = await issueEmailToken(tx, { userId: user.id, email: user.email, purpose: "email_verification" });
  await enqueueEmail(tx, user.email, verifyEmailEmail({ name: user.name, token, hours: EMAIL_TOKEN_TTL_MINUTES.email_verification / 60 }));
}

/** "Send the link again" (the banner's button): a new link, limited per account; nothing to do once verified. */
export async function resendVerificationEmail(actor: UserActor, ip: string | null): Promise<{ sent: boolean }> {
  const db = await getDb();
  const [u] = await db.select({ id: users.id, email: users.email, name: users.name, verified: users.emailVerified }).from(users).where(eq(users.id, actor.id));
  if (!u) throw new AppError("unauthenticated", "Sign in to continue");
  if (u.verified) return { sent: false };
  await enforce(resends(actor.id));
  await db.transaction(async (tx) => {
    await queueVerificationEmail(tx, u);
    await recordAudit(tx, actor, "account.verification_sent", { type: "user", id: actor.id }, undefined, ip);
  });
  await notifyOutbox();
  return { sent: true };
}

/** A verification link confirms the address it was sent to; used, expired or unknown links are refused alike. */
export async function confirmEmailVerification(token: string, ip: string | null): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const owner = await consumeEmailToken(tx, token, "email_verification");
    const [user] = owner
      ? await tx
          .update(users)
          .set({ emailVerified: sql`coalesce(${users.emailVerified}, now())`, updatedAt: new Date() })
          .where(and(eq(users.id, owner.userId), sql`lower(${users.email}) = lower(${owner.email})`, isNull(users.deletedAt)))
          .returning({ id: users.id, email: users.email, role: users.role, status: users.status })
      : [];
    if (!user) {
      const message = "This confirmation link is not valid any more: it was used or it expired. Sign in and send a new one.";
      throw new AppError("validation_error", message, [{ path: "token", message }]);
    }
    await voidEmailTokens(tx, user.id, "email_verification");
    await recordAudit(tx, { kind: "user", ...user }, "account.email_verified", { type: "user", id: user.id }, undefined, ip);
  });
}

/**
 * Security-critical: what the peer service asks before creating a device, so
 * every door (page, API, script) is refused alike under SIGNUP_MODE=verify.
 */
export async function requireVerifiedEmail(actor: UserActor): Promise<void> {
  if (await emailVerificationPending(actor)) {
    throw new AppError("email_not_verified", "Confirm your email address before adding a device: open the link we sent you, or send a new one.");
  }
}
