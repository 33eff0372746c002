import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";

/** Whether this account must still confirm its address: only under SIGNUP_MODE=verify, and only until it has. */
export async function emailVerificationPending(actor: UserActor): Promise<boolean> {
  if (getEnv().SIGNUP_MODE !== "verify") return false;
  const db = await getDb();
  const [u] = await db.select({ verified: users.emailVerified }).from(users).where(eq(users.id, actor.id));
  return !!u && !u.verified;
}
