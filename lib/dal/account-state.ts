import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { AccountStatus } from "@/db/schema/users";

export interface AccountState {
  status: AccountStatus;
  reason: string | null;
  /** Over the plan's monthly data allowance: devices are paused until then. */
  quotaBlockedUntil: string | null;
}

/** What limits this account right now, for the banner on every page. */
export async function getAccountState(userId: string, now: Date = new Date()): Promise<AccountState> {
  const db = await getDb();
  const [row] = await db
    .select({ status: users.status, reason: users.statusReason, quotaBlockedUntil: users.quotaBlockedUntil })
    .from(users)
    .where(eq(users.id, userId));
  const blocked = row?.quotaBlockedUntil && row.quotaBlockedUntil > now ? row.quotaBlockedUntil.toISOString() : null;
  return { status: row?.status ?? "active", reason: row?.reason ?? null, quotaBlockedUntil: blocked };
}
