import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { ticketPresence } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";
import { PRESENCE_PRUNE_MS } from "@/lib/support/presence";
import { ID_PATTERN } from "@/lib/validation/support";
import type { PresenceInput } from "@/lib/validation/ticket-live";

/**
 * A staff member's page says "I have this ticket open" (and whether its
 * composer is being typed in): one upsert of their row, in the database so
 * every instance reads it. Rows nobody refreshed for ten minutes are pruned
 * by the same call (an indexed delete that usually finds nothing). Staff
 * only: requesters have no presence. A ticket that does not exist is 404.
 */
export async function touchPresence(actor: UserActor, ticketId: string, input: PresenceInput, opts: { now?: Date } = {}): Promise<void> {
  authorizeUser(actor, "support.work");
  if (!ID_PATTERN.test(ticketId)) throw notFound("Ticket");
  const now = opts.now ?? new Date();
  const db = await getDb();
  // Insert from the ticket row itself: no row, no presence (and no foreign-key error to map).
  const written = await rows<{ ticket_id: string }>(
    db,
    sql`insert into ticket_presence (ticket_id, user_id, replying, seen_at)
        select id, ${actor.id}, ${input.replying}, ${now.toISOString()}::timestamptz from support_tickets where id = ${ticketId}
        on conflict (ticket_id, user_id) do update set replying = excluded.replying, seen_at = excluded.seen_at
        returning ticket_id`,
  );
  if (written.length === 0) throw notFound("Ticket");
  await db.delete(ticketPresence).where(lt(ticketPresence.seenAt, new Date(now.getTime() - PRESENCE_PRUNE_MS)));
}

/** The page was closed or left: the banner on the other agents' pages goes at their next poll instead of after the freshness window. */
export async function leavePresence(actor: UserActor, ticketId: string): Promise<void> {
  authorizeUser(actor, "support.work");
  if (!ID_PATTERN.test(ticketId)) throw notFound("Ticket");
  const db = await getDb();
  await db.delete(ticketPresence).where(and(eq(ticketPresence.ticketId, ticketId), eq(ticketPresence.userId, actor.id)));
}
