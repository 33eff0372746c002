import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { supportTickets, ticketMessages, users } from "@/db/schema";
import type { TicketPriority, TicketStatus } from "@/db/schema/support";
import type { UserActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/policy";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { ticketStatusEmail } from "@/lib/email/templates/ticket-status";
import { AppError, forbidden } from "@/lib/errors";
import { applyStatusChange, dueTimesFor, isActiveStatus } from "@/lib/support/sla";
import type { UpdateTicket } from "@/lib/validation/support";
import { findTicketRow } from "@/lib/dal/tickets";
import { ticketColumns, toTicketDto, type TicketDto, type TicketRow } from "@/lib/dal/ticket-dto";
import { getSlaTargets } from "@/lib/support/sla-config";
import { catchUpBreaches } from "./sla-monitor";

const STATUS_TEXT: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_user: "Waiting for the customer",
  waiting_support: "Waiting for support",
  resolved: "Resolved",
  closed: "Closed",
};

async function assertAssignable(tx: Tx, userId: string): Promise<{ name: string }> {
  const [u] = await tx
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), inArray(users.role, ["agent", "admin"]), eq(users.status, "active")));
  if (!u) throw new AppError("validation_error", "Tickets can only be assigned to support staff", [{ path: "assignedToId", message: "Not a support agent or admin" }]);
  return { name: u.name || u.email };
}

/** The timestamps a status implies: resolving stamps resolved_at, closing closed_at (and resolved_at if unset), reopening clears both. */
function statusStamps(row: TicketRow, to: TicketStatus, now: Date): Partial<TicketRow> {
  if (to === "resolved") return { resolvedAt: now, closedAt: null };
  if (to === "closed") return { closedAt: now, resolvedAt: row.resolvedAt ?? now };
  return isActiveStatus(to) && !isActiveStatus(row.status) ? { resolvedAt: null, closedAt: null } : {};
}

/**
 * Status, priority and assignment changes. Staff may change any of them; a
 * requester may only close their own ticket (anything else: 403). The SLA
 * clock follows the status (pause/resume), a priority change recomputes both
 * deadlines from creation, and a breach that already happened is recorded
 * before either. Each change leaves an automated line in the conversation
 * (priority and assignment as internal notes), and a status change by staff
 * emails the requester.
 */
export async function updateTicket(actor: UserActor, id: string, patch: UpdateTicket, opts: { now?: Date } = {}): Promise<TicketDto> {
  const staff = can(actor, "support.work");
  const now = opts.now ?? new Date();
  const targets = getSlaTargets();
  const db = await getDb();
  const updated = await db.transaction(async (tx) => {
    const view = staff ? "staff" : "requester";
    let row = await findTicketRow(tx, actor, id, view, { forUpdate: true });
    if (!staff && (patch.priority !== undefined || patch.assignedToId !== undefined || (patch.status !== undefined && patch.status !== "closed"))) {
      throw forbidden("You can only close your own ticket");
    }
    const status = patch.status !== undefined && patch.status !== row.status ? patch.status : undefined;
    const priority = patch.priority !== undefined && patch.priority !== row.priority ? patch.priority : undefined;
    const assignee = patch.assignedToId !== undefined && patch.assignedToId !== row.assignedToId ? patch.assignedToId : undefined;
    if (status === undefined && priority === undefined && assignee === undefined) return row;
    const assigneeName = assignee ? (await assertAssignable(tx, assignee)).name : null;

    if (status !== undefined || priority !== undefined) {
      await catchUpBreaches(tx, id, now);
      row = await findTicketRow(tx, actor, id, view);
    }
    const set: Partial<TicketRow> = { updatedAt: now };
    const notes: Array<{ message: string; isInternal: boolean }> = [];
    let clock = { slaDueAt: row.slaDueAt, slaPausedAt: row.slaPausedAt, slaPausedSeconds: row.slaPausedSeconds };
    if (status !== undefined) {
      clock = applyStatusChange(clock, row.status, status, now);
      Object.assign(set, clock, { status }, statusStamps(row, status, now));
      notes.push({ message: `Status changed from ${STATUS_TEXT[row.status]} to ${STATUS_TEXT[status]}.`, isInternal: false });
    }
    if (priority !== undefined) {
      Object.assign(set, { priority }, dueTimesFor(row.createdAt, priority as TicketPriority, clock.slaPausedSeconds, targets));
      notes.push({ message: `Priority changed from ${row.priority} to ${priority}; SLA deadlines recomputed.`, isInternal: true });
    }
    if (assignee !== undefined) {
      set.assignedToId = assignee;
      notes.push({ message: assignee ? `Assigned to ${assigneeName}.` : "Unassigned.", isInternal: true });
    }
    const [next] = await tx.update(supportTickets).set(set).where(eq(supportTickets.id, id)).returning(ticketColumns);
    await tx.insert(ticketMessages).values(notes.map((n, i) => ({ ticketId: id, userId: actor.id, message: n.message, isInternal: n.isInternal, isAutomated: true, createdAt: new Date(now.getTime() + i) })));
    if (status !== undefined && staff && row.userId !== actor.id) {
      const [requester] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
      if (requester) {
        await enqueueEmail(
          tx,
          requester.email,
          ticketStatusEmail({ ticketId: id, ticketNumber: row.ticketNumber, subject: row.subject, status, askRating: (status === "resolved" || status === "closed") && row.userRating == null }),
        );
      }
    }
    return next as TicketRow;
  });
  await notifyOutbox();
  return toTicketDto(updated, now, targets);
}

export const updateTicketStatus = (actor: UserActor, id: string, status: TicketStatus) => updateTicket(actor, id, { status });
export const changeTicketPriority = (actor: UserActor, id: string, priority: TicketPriority) => updateTicket(actor, id, { priority });
export const assignTicket = (actor: UserActor, id: string, assignedToId: string | null) => updateTicket(actor, id, { assignedToId });
