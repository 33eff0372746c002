import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { supportTickets, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/policy";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { forbidden } from "@/lib/errors";
import type { UpdateTicket } from "@/lib/validation/support";
import { findTicketRow } from "@/lib/dal/tickets";
import { ticketColumns, toTicketDto, type TicketDto, type TicketRow } from "@/lib/dal/ticket-dto";
import { getSlaTargets } from "@/lib/support/sla-config";
import { catchUpBreaches } from "./sla-monitor";
import { assertAssignable, effectiveChange, insertNotes, isEmptyChange, movesClock, planChange, statusEmailFor } from "./ticket-change";

/**
 * Status, priority, assignment and tag changes. Staff may change any of them;
 * a requester may only close their own ticket (anything else: 403). The SLA
 * clock follows the status (pause/resume), a priority change recomputes both
 * deadlines from creation, and a breach that already happened is recorded
 * before either. Each change leaves an automated line in the conversation
 * (priority, assignment and tags as internal notes), and a status change by
 * staff emails the requester. The rules themselves are in ./ticket-change,
 * shared with bulk actions and macros.
 */
export async function updateTicket(actor: UserActor, id: string, patch: UpdateTicket, opts: { now?: Date } = {}): Promise<TicketDto> {
  const staff = can(actor, "support.work");
  let now = opts.now ?? new Date();
  const targets = getSlaTargets();
  const db = await getDb();
  const updated = await db.transaction(async (tx) => {
    const view = staff ? "staff" : "requester";
    let row = await findTicketRow(tx, actor, id, view, { forUpdate: true });
    // The change happens when the lock is held: a change that waited for another is stamped after it.
    now = opts.now ?? new Date();
    if (!staff && (patch.priority !== undefined || patch.assignedToId !== undefined || patch.tags !== undefined || (patch.status !== undefined && patch.status !== "closed"))) {
      throw forbidden("You can only close your own ticket");
    }
    const change = effectiveChange(row, patch);
    if (isEmptyChange(change)) return row;
    const assigneeName = change.assignedToId ? (await assertAssignable(tx, change.assignedToId)).name : null;

    if (movesClock(change)) {
      await catchUpBreaches(tx, id, now);
      row = await findTicketRow(tx, actor, id, view);
    }
    const { set, notes } = planChange(row, change, { now, targets, assigneeName });
    const [next] = await tx.update(supportTickets).set(set).where(eq(supportTickets.id, id)).returning(ticketColumns);
    await insertNotes(tx, actor.id, now, [{ ticketId: id, notes }]);
    const email = change.status !== undefined && staff ? statusEmailFor(row, change.status, actor.id) : null;
    if (email) {
      const [requester] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
      if (requester) await enqueueEmail(tx, requester.email, email);
    }
    return next as TicketRow;
  });
  await notifyOutbox();
  return toTicketDto(updated, now, targets);
}
