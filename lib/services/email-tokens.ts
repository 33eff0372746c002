import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { emailTokens, type EmailTokenPurpose } from "@/db/schema";
import { hashToken } from "@/lib/crypto/tokens";

/**
 * Security-critical. One-time links sent by email (password resets, address
 * verification): 32 random bytes (base64url) in the link, only their SHA-256
 * in the database, single use and short-lived. A token is consumed by one
 * conditional UPDATE, so of two requests racing with the same token exactly
 * one wins, on every instance.
 */
export const EMAIL_TOKEN_TTL_MINUTES: Record<EmailTokenPurpose, number> = {
  password_reset: 60,
  email_verification: 48 * 60,
};

export async function issueEmailToken(
  tx: DbOrTx,
  input: { userId: string; email: string; purpose: EmailTokenPurpose },
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + EMAIL_TOKEN_TTL_MINUTES[input.purpose] * 60_000);
  await tx.insert(emailTokens).values({ tokenHash: hashToken(token), userId: input.userId, purpose: input.purpose, email: input.email, expiresAt, createdAt: now });
  return { token, expiresAt };
}

/**
 * Uses a token: marks it used if it is of this purpose, unused and not
 * expired, and returns whose it is; otherwise null (unknown, used, expired
 * and wrong-purpose tokens are not told apart). Inside the caller's
 * transaction, so the token is spent only if the change it allows commits.
 */
export async function consumeEmailToken(tx: DbOrTx, token: string, purpose: EmailTokenPurpose): Promise<{ userId: string; email: string } | null> {
  const [row] = await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, sql`now()`)))
    .returning({ userId: emailTokens.userId, email: emailTokens.email });
  return row ?? null;
}

/** Spends a user's other open tokens of a purpose (a password reset voids the other reset links). */
export async function voidEmailTokens(tx: DbOrTx, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

/** Housekeeping: tokens used or expired more than a day ago are of no further use. */
export async function pruneEmailTokens(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const before = new Date(now.getTime() - 86_400_000);
  const gone = await db
    .delete(emailTokens)
    .where(or(lt(emailTokens.expiresAt, before), lt(emailTokens.usedAt, before)))
    .returning({ tokenHash: emailTokens.tokenHash });
  return gone.length;
}
