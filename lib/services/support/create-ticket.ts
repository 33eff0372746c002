import "server-only";
import { randomUUID } from "node:crypto";
import { enforce, LIMITS } from "@/lib/services/rate-limit";
import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { supportTickets, ticketCounters } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { ticketCreatedEmail } from "@/lib/email/templates/ticket-created";
import { forbidden } from "@/lib/errors";
import { dueTimesFor } from "@/lib/support/sla";
import { formatTicketNumber, ticketMonth } from "@/lib/support/workflow";
import type { CreateTicket } from "@/lib/validation/support";
import { getTicket } from "@/lib/dal/tickets";
import type { TicketDetailDto } from "@/lib/dal/ticket-dto";
import { getSlaTargets } from "@/lib/support/sla-config";
import { takeDeviceSnapshot } from "./devices";
import { discardUploads, insertAttachmentRows, prepareUploads, storeUploads, type UploadInput } from "./uploads";

/**
 * The month's next sequence number. The upsert takes the counter row's lock
 * until the caller's transaction ends, so concurrent creates queue on it and
 * get consecutive numbers, never the same one (max()+1 would race).
 */
async function nextTicketSequence(db: DbOrTx, month: string): Promise<number> {
  const [row] = await db
    .insert(ticketCounters)
    .values({ month, last: 1 })
    .onConflictDoUpdate({ target: ticketCounters.month, set: { last: sql`${ticketCounters.last} + 1` } })
    .returning({ last: ticketCounters.last });
  return row!.last;
}

/**
 * Opens a ticket for the actor: number, both SLA deadlines, the device
 * snapshot for a connection problem, the files, and the confirmation email —
 * all in one transaction (the files are written first and removed again if
 * it fails).
 */
export async function createTicket(actor: UserActor, input: CreateTicket, uploads: UploadInput[] = [], opts: { now?: Date } = {}): Promise<TicketDetailDto> {
  if (actor.kind !== "user") throw forbidden();
  await enforce(LIMITS.ticketCreate(actor.id));
  const prepared = prepareUploads(uploads);
  const now = opts.now ?? new Date();
  const id = randomUUID();
  const due = dueTimesFor(now, input.priority, 0, getSlaTargets());
  const stored = await storeUploads(id, prepared);
  const db = await getDb();
  try {
    await db.transaction(async (tx) => {
      const metadata = input.category === "vpn_connection" ? { deviceSnapshot: await takeDeviceSnapshot(tx, actor.id, now) } : {};
      const month = ticketMonth(now);
      // Last reads first: the counter lock is held from here to commit.
      const ticketNumber = formatTicketNumber(month, await nextTicketSequence(tx, month));
      await tx.insert(supportTickets).values({
        id,
        ticketNumber,
        userId: actor.id,
        subject: input.subject,
        description: input.description,
        category: input.category,
        priority: input.priority,
        status: "open",
        metadata,
        slaResponseDueAt: due.slaResponseDueAt,
        slaDueAt: due.slaDueAt,
        createdAt: now,
        updatedAt: now,
      });
      await insertAttachmentRows(tx, id, null, actor.id, stored, now);
      await enqueueEmail(tx, actor.email, ticketCreatedEmail({ ticketId: id, ticketNumber, subject: input.subject, responseDueAt: due.slaResponseDueAt }));
    });
  } catch (err) {
    await discardUploads(stored);
    throw err;
  }
  await notifyOutbox();
  return getTicket(actor, id, { view: "requester", now });
}
