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
import { applyStatusChange } from "@/lib/support/sla";
import { getSlaTargets } from "@/lib/support/sla-config";
import { statusAfterMessage } from "@/lib/support/workflow";
import type { AddMessage } from "@/lib/validation/support";
import { findTicketRow } from "@/lib/dal/tickets";
import { toAttachmentDto, type MessageDto } from "@/lib/dal/ticket-dto";
import { findMacro } from "@/lib/dal/macros";
import { catchUpBreaches } from "./sla-monitor";
import { effectiveChange, insertNotes, planChange, statusEmailFor, statusStamps, withAddedTags } from "./ticket-change";
import { attachmentRefs, discardUploads, insertAttachmentRows, prepareUploads, storeUploads, type UploadInput } from "./uploads";

const closed = () => new AppError("conflict", "This ticket is closed and cannot take replies; open a new ticket instead");
const missingMacro = () =>
  new AppError("validation_error", "This macro does not exist (it may have been deleted); choose another one or write the reply yourself", [
    { path: "macroId", message: "This macro does not exist" },
  ]);

/**
 * Adds a reply or (staff only) an internal note, with files. The requester's
 * reply hands the ticket back to support (reopening a resolved one and
 * resuming the SLA clock); a staff reply the requester can see stamps the
 * first response, waits on the requester (pausing the clock) and is emailed
 * to them. An internal note changes nothing and is never emailed. A closed
 * ticket refuses everything with 409.
 *
 * Staff may name the macro the text was written from (`macroId`): its status
 * (instead of the automatic one) and tags are applied in the same
 * transaction, under the rules of any staff change (./ticket-change: notes,
 * the status email). A macro that does not exist refuses the whole message.
 */
export async function addMessage(actor: UserActor, ticketId: string, input: AddMessage, uploads: UploadInput[] = [], opts: { now?: Date } = {}): Promise<MessageDto> {
  const staff = can(actor, "support.work");
  const view = staff ? "staff" : "requester";
  const db = await getDb();
  // Cheap checks before any file is written: 404 for a ticket outside the view, then 403, then 409.
  const before = await findTicketRow(db, actor, ticketId, view);
  if (input.isInternal && !staff) throw forbidden("Only support staff can write internal notes");
  if (input.macroId !== undefined && !staff) throw forbidden("Only support staff can use macros");
  if (before.status === "closed") throw closed();
  if (input.macroId !== undefined && !(await findMacro(db, input.macroId))) throw missingMacro();
  await enforce(LIMITS.ticketMessage(actor.id));
  const stored = await storeUploads(ticketId, prepareUploads(uploads));
  let now = opts.now ?? new Date();
  const targets = getSlaTargets();
  const messageId = randomUUID();
  const refs = attachmentRefs(stored);
  let emailed = false;
  try {
    await db.transaction(async (tx) => {
      const row = await findTicketRow(tx, actor, ticketId, view, { forUpdate: true });
      // Stamped once the lock is held: a message that waited for another change comes after it.
      now = opts.now ?? new Date();
      const macro = input.macroId !== undefined ? await findMacro(tx, input.macroId) : null;
      if (input.macroId !== undefined && !macro) throw missingMacro();
      const side = row.userId === actor.id ? "requester" : "staff";
      const automatic = statusAfterMessage(row.status, side, input.isInternal);
      if (!automatic) throw closed();
      const fromMacro = macro ? effectiveChange(row, { status: macro.setStatus ?? undefined, tags: macro.addTags.length ? withAddedTags(row, macro.addTags) : undefined }) : {};
      const status = macro?.setStatus ?? automatic;
      const isResponse = side === "staff" && !input.isInternal;
      const stampsFirstResponse = isResponse && !row.firstResponseAt;
      if (stampsFirstResponse || status !== row.status) await catchUpBreaches(tx, ticketId, now);

      await tx.insert(ticketMessages).values({ id: messageId, ticketId, userId: actor.id, message: input.message, isInternal: input.isInternal, attachments: refs, createdAt: now });
      await insertAttachmentRows(tx, ticketId, messageId, actor.id, stored, now);
      // The macro's own change (status, tags) with its notes; the automatic move needs no note.
      const planned = planChange(row, fromMacro, { now, targets });
      const clock = applyStatusChange({ slaDueAt: row.slaDueAt, slaPausedAt: row.slaPausedAt, slaPausedSeconds: row.slaPausedSeconds }, row.status, status, now);
      await tx
        .update(supportTickets)
        .set({
          ...planned.set,
          status,
          ...clock,
          ...(stampsFirstResponse ? { firstResponseAt: now } : {}),
          // A reply reopening a resolved ticket is not resolved any more; a macro resolving it stamps the time.
          ...(status !== row.status ? statusStamps(row, status, now) : {}),
          updatedAt: now,
        })
        .where(eq(supportTickets.id, ticketId));
      await insertNotes(tx, actor.id, new Date(now.getTime() + 1), [{ ticketId, notes: planned.notes }]);

      const statusNotice = fromMacro.status !== undefined ? statusEmailFor(row, fromMacro.status, actor.id) : null;
      if (isResponse || statusNotice) {
        const [requester] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
        if (requester && isResponse) {
          const [agent] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
          const from = agent?.name ? `${agent.name} from SecureWave support` : "SecureWave support";
          await enqueueEmail(tx, requester.email, ticketReplyEmail({ ticketId, ticketNumber: row.ticketNumber, subject: row.subject, reply: input.message, from }));
          emailed = true;
        }
        if (requester && statusNotice) {
          await enqueueEmail(tx, requester.email, statusNotice);
          emailed = true;
        }
      }
    });
  } catch (err) {
    await discardUploads(stored);
    throw err;
  }
  if (emailed) await notifyOutbox();
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
