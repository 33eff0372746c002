import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { supportTickets } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { AppError, forbidden } from "@/lib/errors";
import { canBeRated } from "@/lib/support/workflow";
import type { Rating } from "@/lib/validation/support";
import { findTicketRow, resolveView } from "@/lib/dal/tickets";
import { ticketColumns, toTicketDto, type TicketDto, type TicketRow } from "@/lib/dal/ticket-dto";
import { getSlaTargets } from "@/lib/support/sla-config";

/**
 * The requester's 1-5 rating, once the ticket is resolved or closed, and only
 * once: another user's ticket is 404, staff rating someone else's ticket 403,
 * too early or a second time 409.
 */
export async function rateTicket(actor: UserActor, ticketId: string, input: Rating, opts: { now?: Date } = {}): Promise<TicketDto> {
  const now = opts.now ?? new Date();
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const ticket = await findTicketRow(tx, actor, ticketId, resolveView(actor), { forUpdate: true });
    if (ticket.userId !== actor.id) throw forbidden("Only the person who opened the ticket can rate it");
    if (!canBeRated(ticket.status)) throw new AppError("conflict", "You can rate a ticket once it is resolved or closed");
    if (ticket.userRating != null) throw new AppError("conflict", "This ticket has already been rated");
    const [rated] = await tx
      .update(supportTickets)
      .set({ userRating: input.rating, userFeedback: input.feedback ?? null, ratedAt: now, updatedAt: now })
      .where(and(eq(supportTickets.id, ticketId), isNull(supportTickets.userRating)))
      .returning(ticketColumns);
    if (!rated) throw new AppError("conflict", "This ticket has already been rated");
    return rated as TicketRow;
  });
  return toTicketDto(row, now, getSlaTargets());
}
