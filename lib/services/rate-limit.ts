import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { AppError } from "@/lib/errors";

export interface Limit {
  /** e.g. "sign-up:ip:203.0.113.7" */
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * A fixed-window counter in the database, so every app instance shares it:
 * one upsert per hit. Over the limit it throws 429 with the seconds until the
 * window ends (Retry-After).
 */
export async function hit(limit: Limit, now: Date = new Date(), within?: DbOrTx): Promise<void> {
  const db = within ?? (await getDb());
  const at = now.toISOString();
  const [row] = await rows<{ count: number; window_start: Date | string }>(
    db,
    sql`insert into rate_limits (key, window_start, count) values (${limit.key}, ${at}::timestamptz, 1)
        on conflict (key) do update set
          count = case when rate_limits.window_start <= ${at}::timestamptz - make_interval(secs => ${limit.windowSeconds}) then 1 else rate_limits.count + 1 end,
          window_start = case when rate_limits.window_start <= ${at}::timestamptz - make_interval(secs => ${limit.windowSeconds}) then ${at}::timestamptz else rate_limits.window_start end
        returning count, window_start`,
  );
  if (row && Number(row.count) > limit.max) {
    const ends = new Date(row.window_start).getTime() + limit.windowSeconds * 1000;
    const retryAfter = Math.max(1, Math.ceil((ends - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfter / 60);
    throw new AppError("rate_limited", `Too many requests; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, undefined, retryAfter);
  }
}

/** The limits of the places people (or scripts) could flood. Per account where there is one, per address too. */
export const LIMITS = {
  // Generous enough for a family behind one address or a burst of real work; tight enough to stop a script.
  signUp: (ip: string | null): Limit[] => [{ key: `sign-up:ip:${ip ?? "unknown"}`, max: 20, windowSeconds: 3600 }],
  ticketCreate: (userId: string): Limit[] => [{ key: `ticket:user:${userId}`, max: 100, windowSeconds: 3600 }],
  ticketMessage: (userId: string): Limit[] => [{ key: `message:user:${userId}`, max: 120, windowSeconds: 600 }],
  shareLink: (userId: string): Limit[] => [{ key: `share:user:${userId}`, max: 20, windowSeconds: 3600 }],
};

/**
 * Counts one use of an operation against its limits. Called by the service
 * that performs the operation, so every door (page action, API, CLI) counts
 * alike. Inside the operation's transaction (`within`), a refused or failed
 * operation does not count, and concurrent uses queue on the counter's row.
 */
export async function enforce(limits: Limit[], within?: DbOrTx): Promise<void> {
  for (const l of limits) await hit(l, new Date(), within);
}

/** Old windows are useless after they end; the telemetry sweep calls this. */
export async function pruneRateLimits(olderThanSeconds = 86_400): Promise<void> {
  const db = await getDb();
  await db.execute(sql`delete from rate_limits where window_start < now() - make_interval(secs => ${olderThanSeconds})`);
}
