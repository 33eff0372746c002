import "server-only";
import { randomUUID } from "node:crypto";
import { enforce, LIMITS } from "@/lib/services/rate-limit";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { supportTickets, ticketMessages, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/policy";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { ticketReplyEmail } from "@/lib/email/templates/ticket-reply";
import { AppError, forbidden } from "@/lib/errors";
import { applyStatusChange, isActiveStatus } from "@/lib/support/sla";
import { statusAfterMessage } from "@/lib/support/workflow";
import type { AddMessage } from "@/lib/validation/support";
import { findTicketRow } from "@/lib/dal/tickets";
import { toAttachmentDto, type MessageDto } from "@/lib/dal/ticket-dto";
import { catchUpBreaches } from "./sla-monitor";
import { attachmentRefs, discardUploads, insertAttachmentRows, prepareUploads, storeUploads, type UploadInput } from "./uploads";

const closed = () => new AppError("conflict", "This ticket is closed and cannot take replies; open a new ticket instead");

/**
 * Adds a reply or (staff only) an internal note, with files. The requester's
 * reply hands the ticket back to support (reopening a resolved one and
 * resuming the SLA clock); a staff reply the requester can see stamps the
 * first response, waits on the requester (pausing the clock) and is emailed
 * to them. An internal note changes nothing and is never emailed. A closed
 * ticket refuses everything with 409.
 */
export async function addMessage(actor: UserActor, ticketId: string, input: AddMessage, uploads: UploadInput[] = [], opts: { now?: Date } = {}): Promise<MessageDto> {
  const staff = can(actor, "support.work");
  const view = staff ? "staff" : "requester";
  const db = await getDb();
  // Cheap checks before any file is written: 404 for a ticket outside the view, then 403, then 409.
  const before = await findTicketRow(db, actor, ticketId, view);
  if (input.isInternal && !staff) throw forbidden("Only support staff can write internal notes");
  if (before.status === "closed") throw closed();
  await enforce(LIMITS.ticketMessage(actor.id));
  const stored = await storeUploads(ticketId, prepareUploads(uploads));
  const now = opts.now ?? new Date();
  const messageId = randomUUID();
  const refs = attachmentRefs(stored);
  try {
    await db.transaction(async (tx) => {
      const row = await findTicketRow(tx, actor, ticketId, view, { forUpdate: true });
      const side = row.userId === actor.id ? "requester" : "staff";
      const status = statusAfterMessage(row.status, side, input.isInternal);
      if (!status) throw closed();
      const isResponse = side === "staff" && !input.isInternal;
      const stampsFirstResponse = isResponse && !row.firstResponseAt;
      if (stampsFirstResponse || status !== row.status) await catchUpBreaches(tx, ticketId, now);

      await tx.insert(ticketMessages).values({ id: messageId, ticketId, userId: actor.id, message: input.message, isInternal: input.isInternal, attachments: refs, createdAt: now });
      await insertAttachmentRows(tx, ticketId, messageId, actor.id, stored, now);
      const clock = applyStatusChange({ slaDueAt: row.slaDueAt, slaPausedAt: row.slaPausedAt, slaPausedSeconds: row.slaPausedSeconds }, row.status, status, now);
      await tx
        .update(supportTickets)
        .set({
          status,
          ...clock,
          ...(stampsFirstResponse ? { firstResponseAt: now } : {}),
          // A reply reopening a resolved ticket: it is not resolved any more.
          ...(isActiveStatus(status) && !isActiveStatus(row.status) ? { resolvedAt: null } : {}),
          updatedAt: now,
        })
        .where(eq(supportTickets.id, ticketId));

      if (isResponse) {
        const [requester] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
        const [agent] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
        const from = agent?.name ? `${agent.name} from SecureWave support` : "SecureWave support";
        if (requester) await enqueueEmail(tx, requester.email, ticketReplyEmail({ ticketId, ticketNumber: row.ticketNumber, subject: row.subject, reply: input.message, from }));
      }
    });
  } catch (err) {
    await discardUploads(stored);
    throw err;
  }
  await notifyOutbox();
  return {
    id: messageId,
    ticketId,
    userId: actor.id,
    author: { name: "You", isStaff: staff },
    message: input.message,
    isInternal: input.isInternal,
    isAutomated: false,
    attachments: refs.map((a) => toAttachmentDto(ticketId, a)),
    createdAt: now.toISOString(),
  };
}
