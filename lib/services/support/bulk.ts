import "server-only";
import { and, asc, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { supportTickets as t, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit";
import { authorizeUser } from "@/lib/auth/policy";
import { enqueueEmails, notifyOutbox } from "@/lib/email/outbox";
import type { EmailTemplate } from "@/lib/email/render";
import { getSlaTargets } from "@/lib/support/sla-config";
import type { BulkUpdate } from "@/lib/validation/support-tools";
import { ticketScope } from "@/lib/dal/tickets";
import { ticketColumns, type TicketRow } from "@/lib/dal/ticket-dto";
import { markBreaches } from "./sla-monitor";
import { assertAssignable, effectiveChange, insertNotes, isEmptyChange, movesClock, planChange, statusEmailFor, withAddedTags, type AutomatedNote } from "./ticket-change";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * One change to many tickets (the queue's bulk actions): assign, change the
 * status, add tags. The same rules as a single update (./ticket-change: the
 * SLA clock pauses and resumes, resolving and reopening stamp their times,
 * the assignee must be active staff, every changed ticket gets its automated
 * lines and the requester the status email), applied set-wise inside one
 * transaction: the rows are locked in id order (two bulk actions over
 * overlapping tickets never deadlock), breaches are caught up for all of
 * them at once, then one UPDATE writes every ticket's new values, one INSERT
 * the notes, one the emails. Ids that name no ticket the caller may see are
 * skipped; `updated` counts the tickets that actually changed.
 */
export async function bulkUpdateTickets(actor: UserActor, input: BulkUpdate, opts: { now?: Date } = {}): Promise<{ updated: number }> {
  authorizeUser(actor, "support.work");
  let now = opts.now ?? new Date();
  const targets = getSlaTargets();
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const assigneeName = input.assigneeId ? (await assertAssignable(tx, input.assigneeId, "assigneeId")).name : null;
    const scope = and(inArray(t.id, input.ids), ticketScope(actor, "staff"));
    const locked = (await tx.select(ticketColumns).from(t).where(scope).orderBy(asc(t.id)).for("update")) as TicketRow[];
    // Stamped once the locks are held, after any change it waited for.
    now = opts.now ?? new Date();

    const wanted = (row: TicketRow) =>
      effectiveChange(row, {
        status: input.status,
        assignedToId: input.assigneeId,
        tags: input.addTags?.length ? withAddedTags(row, input.addTags) : undefined,
      });
    let rows = locked.filter((r) => !isEmptyChange(wanted(r)));
    if (rows.length === 0) return { updated: 0, emails: 0 };

    const clockIds = rows.filter((r) => movesClock(wanted(r))).map((r) => r.id);
    if (clockIds.length) {
      // As catchUpBreaches does for one ticket, for all of them: two statements, whatever the count.
      const ids = sql`id in (${sql.join(clockIds.map((id) => sql`${id}`), sql`, `)})`;
      await markBreaches(tx, "response", now, ids);
      await markBreaches(tx, "resolution", now, ids);
      rows = (await tx.select(ticketColumns).from(t).where(inArray(t.id, rows.map((r) => r.id))).orderBy(asc(t.id))) as TicketRow[];
    }

    const planned = rows.map((row) => {
      const change = wanted(row);
      return { row, change, ...planChange(row, change, { now, targets, assigneeName }) };
    });
    // Every column a change may write, for every ticket (unchanged ones keep their value): one statement for all.
    const records = planned.map(({ row, set }) => {
      const v = { ...row, ...set };
      return {
        id: row.id,
        status: v.status,
        assigned_to_id: v.assignedToId,
        tags: v.tags,
        sla_due_at: iso(v.slaDueAt),
        sla_paused_at: iso(v.slaPausedAt),
        sla_paused_seconds: v.slaPausedSeconds,
        resolved_at: iso(v.resolvedAt),
        closed_at: iso(v.closedAt),
      };
    });
    await tx.execute(sql`
      update ${t} set status = v.status, assigned_to_id = v.assigned_to_id, tags = v.tags, sla_due_at = v.sla_due_at,
        sla_paused_at = v.sla_paused_at, sla_paused_seconds = v.sla_paused_seconds, resolved_at = v.resolved_at,
        closed_at = v.closed_at, updated_at = ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id text, status text, assigned_to_id text, tags jsonb,
        sla_due_at timestamptz, sla_paused_at timestamptz, sla_paused_seconds bigint, resolved_at timestamptz, closed_at timestamptz)
      where ${t.id} = v.id`);
    await insertNotes(tx, actor.id, now, planned.map((p): { ticketId: string; notes: AutomatedNote[] } => ({ ticketId: p.row.id, notes: p.notes })));

    const notices = planned
      .map((p) => ({ row: p.row, template: p.change.status !== undefined ? statusEmailFor(p.row, p.change.status, actor.id) : null }))
      .filter((n): n is { row: TicketRow; template: EmailTemplate } => n.template !== null);
    let emails = 0;
    if (notices.length) {
      const requesters = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [...new Set(notices.map((n) => n.row.userId))]));
      const to = new Map(requesters.map((u) => [u.id, u.email]));
      emails = await enqueueEmails(
        tx,
        notices.flatMap((n) => (to.has(n.row.userId) ? [{ to: to.get(n.row.userId)!, template: n.template }] : [])),
      );
    }
    await recordAudit(tx, actor, "ticket.bulk_updated", null, {
      ticketIds: planned.map((p) => p.row.id),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
      ...(input.addTags?.length ? { addTags: input.addTags } : {}),
    });
    return { updated: planned.length, emails };
  });
  if (result.emails > 0) await notifyOutbox();
  return { updated: result.updated };
}
