import "server-only";
import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { getDb, rows, type Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

/** Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final. */
export const BACKOFF_MINUTES = [1, 5, 25, 125] as const;
export const MAX_ATTEMPTS = 5;
/**
 * A claimed row's next_attempt_at is pushed this far ahead and acts as a
 * lease: a row still "sending" after it passed belongs to a process that
 * died mid-send and is handed back.
 */
const LEASE = sql.raw(`interval '10 minutes'`);
const SEND_TIMEOUT_MS = 20_000;

export interface DeliveryCounts {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

interface Claimed {
  id: string;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

async function reclaimExpiredLeases(db: Db): Promise<number> {
  const back = await rows<{ status: string }>(
    db,
    sql`update email_outbox
        set status = case when attempts >= ${MAX_ATTEMPTS} then 'failed' else 'pending' end,
            last_error = case when attempts >= ${MAX_ATTEMPTS} then 'delivery interrupted' else last_error end,
            next_attempt_at = now()
        where status = 'sending' and next_attempt_at <= now()
        returning status`,
  );
  if (back.length) log.warn("email leases expired: handed back", { count: back.length });
  return back.filter((r) => r.status === "failed").length;
}

/**
 * Set-based claim: SKIP LOCKED lets several processes deliver at once without
 * sending an email twice. The due rows are picked once, in a materialized
 * CTE: as an `id in (… limit n)` subquery the planner may run the pick again
 * for every outer row and claim far more than `limit`.
 */
async function claimDue(db: Db, limit: number): Promise<Claimed[]> {
  return rows<Claimed>(
    db,
    sql`with due as materialized (
          select id from email_outbox
          where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at
          limit ${limit}
          for update skip locked)
        update email_outbox o
        set status = 'sending', attempts = o.attempts + 1, next_attempt_at = now() + ${LEASE}
        from due where o.id = due.id
        returning o.id, o.to_address, o.subject, o.html, o.text, o.attempts`,
  );
}

async function send(resend: Resend, from: string, e: Claimed): Promise<{ id: string } | { error: string }> {
  try {
    const { data, error } = await resend.emails.send(
      { from, to: e.to_address, subject: e.subject, html: e.html, text: e.text },
      // Same key on every attempt: if a send succeeded but we crashed before recording it, Resend does not send it again.
      { idempotencyKey: `outbox/${e.id}`, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
    );
    if (data?.id) return { id: data.id };
    return { error: error ? `${error.name}: ${error.message}` : "no id in Resend's answer" };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Delivers one batch of due emails through Resend. Without RESEND_API_KEY there is nothing to deliver. */
export async function deliverDueEmails(opts: { limit?: number } = {}): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  const env = getEnv();
  if (!env.RESEND_API_KEY) return counts;
  const db = await getDb();
  counts.failed += await reclaimExpiredLeases(db);
  const claimed = await claimDue(db, Math.min(Math.max(opts.limit ?? 25, 1), 500));
  counts.claimed = claimed.length;
  if (!claimed.length) return counts;
  // Constructed here, not at import: `new Resend()` throws without a key.
  const resend = new Resend(env.RESEND_API_KEY);
  // One at a time: Resend rate-limits per team, and a batch is small.
  for (const e of claimed) {
    const result = await send(resend, env.EMAIL_FROM, e);
    if ("id" in result) {
      await db.execute(sql`update email_outbox set status = 'sent', provider_id = ${result.id}, sent_at = now(), last_error = null
                           where id = ${e.id} and status = 'sending'`);
      counts.sent++;
      continue;
    }
    const final = e.attempts >= MAX_ATTEMPTS;
    const wait = BACKOFF_MINUTES[Math.min(e.attempts, BACKOFF_MINUTES.length) - 1];
    const lastError = result.error.slice(0, 500);
    await db.execute(sql`update email_outbox
                         set status = ${final ? "failed" : "pending"}, last_error = ${lastError},
                             next_attempt_at = now() + make_interval(mins => ${wait}::int)
                         where id = ${e.id} and status = 'sending'`);
    log.warn(final ? "email delivery failed for good" : "email delivery failed; will retry", {
      emailId: e.id,
      attempts: e.attempts,
      error: lastError,
    });
    if (final) counts.failed++;
    else counts.retried++;
  }
  return counts;
}

/** Due pending emails, for the job's progress total. */
export async function countDueEmails(): Promise<number> {
  const db = await getDb();
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from email_outbox where status = 'pending' and next_attempt_at <= now()`,
  );
  return Number(row?.n ?? 0);
}
