import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { ticketMessages, users } from "@/db/schema";
import type { TicketPriority, TicketStatus } from "@/db/schema/support";
import { AppError } from "@/lib/errors";
import { ticketStatusEmail } from "@/lib/email/templates/ticket-status";
import type { EmailTemplate } from "@/lib/email/render";
import { applyStatusChange, dueTimesFor, isActiveStatus, type SlaTargets } from "@/lib/support/sla";
import { MAX_TAGS, mergeTags, sameTags } from "@/lib/support/tags";
import type { TicketRow } from "@/lib/dal/ticket-dto";

/**
 * The rules of a staff change to a ticket, shared by every write that makes
 * one (a single update, a bulk action, a reply written from a macro): what
 * the change sets, the automated lines it leaves in the conversation and the
 * email it sends. Planning is pure; the callers write the result, one row or
 * many rows in one statement.
 */
export interface TicketChange {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignedToId?: string | null;
  tags?: string[];
}

export interface AutomatedNote {
  message: string;
  isInternal: boolean;
}

export interface PlannedChange {
  set: Partial<TicketRow>;
  notes: AutomatedNote[];
}

const STATUS_TEXT: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_user: "Waiting for the customer",
  waiting_support: "Waiting for support",
  resolved: "Resolved",
  closed: "Closed",
};

/** Only what differs from the row: a change to the same value is no change. */
export function effectiveChange(row: TicketRow, patch: TicketChange): TicketChange {
  const out: TicketChange = {};
  if (patch.status !== undefined && patch.status !== row.status) out.status = patch.status;
  if (patch.priority !== undefined && patch.priority !== row.priority) out.priority = patch.priority;
  if (patch.assignedToId !== undefined && patch.assignedToId !== row.assignedToId) out.assignedToId = patch.assignedToId;
  if (patch.tags !== undefined && !sameTags(patch.tags, row.tags ?? [])) out.tags = patch.tags;
  return out;
}

export const isEmptyChange = (c: TicketChange) => c.status === undefined && c.priority === undefined && c.assignedToId === undefined && c.tags === undefined;

/** A status or priority change moves a clock: breaches that already happened are recorded first (catchUpBreaches). */
export const movesClock = (c: TicketChange) => c.status !== undefined || c.priority !== undefined;

/** The tags after adding some; more than MAX_TAGS is refused, naming the ticket. */
export function withAddedTags(row: Pick<TicketRow, "ticketNumber" | "tags">, add: readonly string[]): string[] {
  const next = mergeTags(row.tags ?? [], add);
  if (next.length > MAX_TAGS) {
    throw new AppError("conflict", `${row.ticketNumber} would have more than ${MAX_TAGS} tags`, [{ path: "addTags", message: `${row.ticketNumber} already has ${(row.tags ?? []).length} tags` }]);
  }
  return next;
}

/** The timestamps a status implies: resolving stamps resolved_at, closing closed_at (and resolved_at if unset), reopening clears both. */
export function statusStamps(row: Pick<TicketRow, "status" | "resolvedAt">, to: TicketStatus, now: Date): Partial<TicketRow> {
  if (to === "resolved") return { resolvedAt: now, closedAt: null };
  if (to === "closed") return { closedAt: now, resolvedAt: row.resolvedAt ?? now };
  return isActiveStatus(to) && !isActiveStatus(row.status) ? { resolvedAt: null, closedAt: null } : {};
}

/**
 * What an (effective) change sets and says. The SLA clock follows the status
 * (pause/resume), a priority change recomputes both deadlines from creation.
 * Status lines are visible to the requester; priority, assignment and tags
 * are internal notes.
 */
export function planChange(row: TicketRow, change: TicketChange, ctx: { now: Date; targets: SlaTargets; assigneeName?: string | null }): PlannedChange {
  const { now, targets } = ctx;
  const set: Partial<TicketRow> = { updatedAt: now };
  const notes: AutomatedNote[] = [];
  let clock = { slaDueAt: row.slaDueAt, slaPausedAt: row.slaPausedAt, slaPausedSeconds: row.slaPausedSeconds };
  if (change.status !== undefined) {
    clock = applyStatusChange(clock, row.status, change.status, now);
    Object.assign(set, clock, { status: change.status }, statusStamps(row, change.status, now));
    notes.push({ message: `Status changed from ${STATUS_TEXT[row.status]} to ${STATUS_TEXT[change.status]}.`, isInternal: false });
  }
  if (change.priority !== undefined) {
    Object.assign(set, { priority: change.priority }, dueTimesFor(row.createdAt, change.priority, clock.slaPausedSeconds, targets));
    notes.push({ message: `Priority changed from ${row.priority} to ${change.priority}; SLA deadlines recomputed.`, isInternal: true });
  }
  if (change.assignedToId !== undefined) {
    set.assignedToId = change.assignedToId;
    notes.push({ message: change.assignedToId ? `Assigned to ${ctx.assigneeName ?? "a team member"}.` : "Unassigned.", isInternal: true });
  }
  if (change.tags !== undefined) {
    set.tags = change.tags;
    const before = new Set(row.tags ?? []);
    const after = new Set(change.tags);
    const added = change.tags.filter((t) => !before.has(t));
    const removed = (row.tags ?? []).filter((t) => !after.has(t));
    const parts = [added.length ? `added ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean);
    notes.push({ message: `Tags ${parts.join("; ")}.`, isInternal: true });
  }
  return { set, notes };
}

/** An active agent or admin, with the name the notes show; anyone else is refused (400 on `field`). */
export async function assertAssignable(tx: Tx, userId: string, field = "assignedToId"): Promise<{ name: string }> {
  const [u] = await tx
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), inArray(users.role, ["agent", "admin"]), eq(users.status, "active")));
  if (!u) throw new AppError("validation_error", "Tickets can only be assigned to support staff", [{ path: field, message: "Not a support agent or admin" }]);
  return { name: u.name || u.email };
}

/** The automated lines of one or many tickets, in one insert; a ticket's lines keep their order by a millisecond each. */
export async function insertNotes(tx: Tx, authorId: string, now: Date, perTicket: Array<{ ticketId: string; notes: AutomatedNote[] }>): Promise<void> {
  const values = perTicket.flatMap(({ ticketId, notes }) =>
    notes.map((n, i) => ({ ticketId, userId: authorId, message: n.message, isInternal: n.isInternal, isAutomated: true, createdAt: new Date(now.getTime() + i) })),
  );
  if (values.length) await tx.insert(ticketMessages).values(values);
}

/** A staff status change emails the requester (not when staff changed their own ticket). */
export function statusEmailFor(row: TicketRow, status: TicketStatus, actorId: string): EmailTemplate | null {
  if (row.userId === actorId) return null;
  return ticketStatusEmail({
    ticketId: row.id,
    ticketNumber: row.ticketNumber,
    subject: row.subject,
    status,
    askRating: (status === "resolved" || status === "closed") && row.userRating == null,
  });
}
