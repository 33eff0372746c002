import "server-only";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { emailOutbox, supportTickets as t, users, type EmailStatus } from "@/db/schema";
import type { TicketPriority } from "@/db/schema/support";
import { notifyOutbox } from "@/lib/email/outbox";
import { renderEmail, type EmailTemplate } from "@/lib/email/render";
import { getEnv } from "@/lib/env";
import { slaBreachEmail, type BreachKind } from "@/lib/email/templates/ticket-sla-breach";
import { ACTIVE_SQL, tsParam } from "@/lib/dal/ticket-sla-sql";

export interface BreachCounts {
  flagged: number;
  alerts: number;
}

type Flagged = { id: string; ticket_number: string; subject: string; priority: TicketPriority; due_at: Date | string };

/**
 * One set-based UPDATE … RETURNING per kind. Idempotent: only tickets not
 * flagged yet are touched, so a rerun (or a retried job step) flags and
 * alerts nothing twice. The breach time is the deadline itself, not the time
 * of the sweep. Only active tickets are swept (the partial queue index):
 * tickets leave the active set through the services, which call
 * `catchUpBreaches` first.
 *   - response: no first response, and the response deadline has passed;
 *   - resolution: the deadline passed while the clock ran — a clock stopped
 *     (waiting on the user) counts only up to when it stopped, so a paused
 *     ticket is not breached while paused.
 */
function breachUpdate(kind: BreachKind, now: Date, scope?: SQL): SQL {
  const at = tsParam(now);
  if (kind === "response") {
    return sql`update ${t} set sla_response_breached = true, sla_response_breached_at = sla_response_due_at
      where not sla_response_breached and ${ACTIVE_SQL} and first_response_at is null and sla_response_due_at <= ${at}
      ${scope ? sql`and ${scope}` : sql``}
      returning id, ticket_number, subject, priority, sla_response_due_at as due_at`;
  }
  return sql`update ${t} set sla_breached = true, sla_breached_at = sla_due_at
    where not sla_breached and ${ACTIVE_SQL} and sla_due_at <= ${at} and sla_due_at <= coalesce(sla_paused_at, ${at})
    ${scope ? sql`and ${scope}` : sql``}
    returning id, ticket_number, subject, priority, sla_due_at as due_at`;
}

/** Every active agent and admin: the support team the alerts go to. */
export async function supportTeamAddresses(db: DbOrTx): Promise<string[]> {
  const list = await db
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.role, ["agent", "admin"]), eq(users.status, "active")));
  return list.map((u) => u.email);
}

/**
 * One alert to every team member, rendered once. enqueueEmail renders per
 * call (about 15 ms); a sweep that finds hundreds of breaches would render
 * each alert once per agent inside the transaction. Same row shape and
 * status rule as lib/email/outbox.ts (a candidate for moving there).
 */
async function queueTeamAlert(db: DbOrTx, team: string[], template: EmailTemplate): Promise<number> {
  if (team.length === 0) return 0;
  const { subject, html, text } = await renderEmail(template);
  const status: EmailStatus = getEnv().RESEND_API_KEY ? "pending" : "logged";
  await db.insert(emailOutbox).values(team.map((toAddress) => ({ toAddress, subject, html, text, template: template.name, status })));
  return team.length;
}

/** Flags one kind of breach and queues one alert per newly breached ticket to each team member, in the caller's transaction. */
export async function markBreaches(db: DbOrTx, kind: BreachKind, now: Date, scope?: SQL): Promise<BreachCounts> {
  const flagged = await rows<Flagged>(db, breachUpdate(kind, now, scope));
  if (flagged.length === 0) return { flagged: 0, alerts: 0 };
  const team = await supportTeamAddresses(db);
  let alerts = 0;
  for (const f of flagged) {
    const template = slaBreachEmail({ ticketId: f.id, ticketNumber: f.ticket_number, subject: f.subject, kind, dueAt: new Date(f.due_at), priority: f.priority });
    alerts += await queueTeamAlert(db, team, template);
  }
  return { flagged: flagged.length, alerts };
}

/**
 * Before a write stops a clock (a first response, waiting on the user,
 * resolving, closing) or moves a deadline (a priority change), records a
 * breach that already happened, with its alert, exactly as the monitor
 * would have on its next run.
 */
export async function catchUpBreaches(db: DbOrTx, ticketId: string, now: Date): Promise<BreachCounts> {
  const scope = sql`id = ${ticketId}`;
  const a = await markBreaches(db, "response", now, scope);
  const b = await markBreaches(db, "resolution", now, scope);
  return { flagged: a.flagged + b.flagged, alerts: a.alerts + b.alerts };
}

/** One sweep of one kind in its own transaction (one job step each). */
export async function sweepSlaBreaches(kind: BreachKind, now: Date = new Date()): Promise<BreachCounts> {
  const db = await getDb();
  const counts = await db.transaction((tx) => markBreaches(tx, kind, now));
  if (counts.alerts > 0) await notifyOutbox();
  return counts;
}

/** The whole monitor: both kinds. Also the benchmark hook. */
export async function runSlaMonitor(now: Date = new Date()): Promise<{ response: BreachCounts; resolution: BreachCounts }> {
  const response = await sweepSlaBreaches("response", now);
  const resolution = await sweepSlaBreaches("resolution", now);
  return { response, resolution };
}
