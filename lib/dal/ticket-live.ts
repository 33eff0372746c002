import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { supportTickets as t, ticketMessages } from "@/db/schema";
import type { TicketPriority, TicketStatus } from "@/db/schema/support";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { notFound, validation } from "@/lib/errors";
import { PRESENCE_FRESH_MS, REPLYING_FRESH_MS, type PresenceDto } from "@/lib/support/presence";
import { ID_PATTERN } from "@/lib/validation/support";
import type { ListMessagesQuery } from "@/lib/validation/ticket-live";
import type { MessageDto } from "./ticket-dto";
import { findTicketRow, listTicketMessages, resolveView, ticketScope, type TicketView } from "./tickets";

/**
 * Reads behind the live pages: a ticket's conversation in pages or "what
 * came after this message", a small state object a page polls to notice
 * any change, and a version of the agents' queue. Everything is read from
 * the database on each call, so any instance answers the same.
 * Security-critical: the same views as lib/dal/tickets.ts (a requester never
 * sees internal notes, nor who of the staff is on the ticket).
 */

const visible = (view: TicketView) => (view === "staff" ? undefined : eq(ticketMessages.isInternal, false));

const encodeCursor = (id: string) => Buffer.from(`m|${id}`).toString("base64url");
function decodeCursor(cursor: string): string {
  const [tag, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (tag !== "m" || rest.length || !id || !ID_PATTERN.test(id)) throw validation("Invalid cursor", [{ path: "cursor", message: "Invalid cursor" }]);
  return id;
}

/**
 * The messages the caller may see, oldest first, `limit` at a time (50 by
 * default); `after` (a message id) or `cursor` (from the previous page)
 * starts after that message. An anchor the caller cannot see (another
 * ticket's, or an internal note for a requester) is refused like one that
 * does not exist.
 */
export async function listMessagesPage(actor: Actor, ticketId: string, q: ListMessagesQuery = {}): Promise<{ items: MessageDto[]; nextCursor: string | null }> {
  const view = resolveView(actor);
  const db = await getDb();
  await findTicketRow(db, actor, ticketId, view);
  const anchor = q.cursor ? decodeCursor(q.cursor) : q.after;
  if (anchor) {
    const [found] = await db
      .select({ id: ticketMessages.id })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.id, anchor), eq(ticketMessages.ticketId, ticketId), visible(view)));
    const path = q.cursor ? "cursor" : "after";
    if (!found) throw validation(`No such message on this ticket`, [{ path, message: "Not a message of this ticket" }]);
  }
  const limit = q.limit ?? 50;
  // The anchor's own (created_at, id) from SQL: microseconds a JS Date would round away.
  const where = anchor
    ? sql`(${ticketMessages.createdAt}, ${ticketMessages.id}) > (select m.created_at, m.id from ticket_messages m where m.id = ${anchor})`
    : undefined;
  const found = await listTicketMessages(db, ticketId, view, actor.kind === "user" ? actor.id : null, { where, limit: limit + 1 });
  const items = found.slice(0, limit);
  return { items, nextCursor: found.length > limit ? encodeCursor(items.at(-1)!.id) : null };
}

/** What a page open on a ticket polls: enough to notice a new message, a status, priority, tag or assignment change, and (staff) who else is there. */
export interface TicketLiveDto {
  ticketId: string;
  status: TicketStatus;
  priority: TicketPriority;
  assignedToId: string | null;
  tags: string[];
  updatedAt: string;
  /** Messages the caller may see, and the newest of them. */
  messageCount: number;
  lastMessageId: string | null;
  /** Other support staff on the ticket right now; always empty for a requester. */
  presence: PresenceDto[];
}

/**
 * The live state in one statement (the page asks every 1.5 s): the ticket
 * row within the caller's view, the count and newest id of the messages the
 * view may see (ticket_messages_ticket_idx), and for staff who else is on
 * the ticket. A ticket outside the view is 404, as everywhere.
 */
export async function getTicketLive(actor: Actor, ticketId: string, now: Date = new Date()): Promise<TicketLiveDto> {
  const view = resolveView(actor);
  if (!ID_PATTERN.test(ticketId)) throw notFound("Ticket");
  const db = await getDb();
  const notes = view === "staff" ? sql`` : sql`and not m.is_internal`;
  const me = actor.kind === "user" ? actor.id : "";
  const presence =
    view === "staff"
      ? sql<PresenceRow[]>`(select coalesce(json_agg(json_build_object(
            'userId', p.user_id, 'name', coalesce(nullif(u.name, ''), u.email), 'role', u.role,
            'replying', p.replying and p.seen_at > ${new Date(now.getTime() - REPLYING_FRESH_MS).toISOString()}::timestamptz, 'seenAt', p.seen_at
          ) order by p.seen_at desc, p.user_id), '[]'::json)
          from ticket_presence p join users u on u.id = p.user_id
          where p.ticket_id = ${ticketId} and p.user_id <> ${me} and u.role in ('agent', 'admin')
            and p.seen_at > ${new Date(now.getTime() - PRESENCE_FRESH_MS).toISOString()}::timestamptz)`
      : sql<PresenceRow[]>`'[]'::json`;
  const [row] = await db
    .select({
      status: t.status,
      priority: t.priority,
      assignedToId: t.assignedToId,
      tags: t.tags,
      updatedAt: t.updatedAt,
      messageCount: sql<number>`(select count(*) from ticket_messages m where m.ticket_id = ${ticketId} ${notes})`.mapWith(Number),
      lastMessageId: sql<string | null>`(select m.id from ticket_messages m where m.ticket_id = ${ticketId} ${notes} order by m.created_at desc, m.id desc limit 1)`,
      presence,
    })
    .from(t)
    .where(and(eq(t.id, ticketId), ticketScope(actor, view)))
    .limit(1);
  if (!row) throw notFound("Ticket");
  const people = (typeof row.presence === "string" ? JSON.parse(row.presence) : row.presence) as PresenceRow[];
  return {
    ticketId,
    status: row.status,
    priority: row.priority,
    assignedToId: row.assignedToId,
    tags: row.tags ?? [],
    updatedAt: row.updatedAt.toISOString(),
    messageCount: row.messageCount,
    lastMessageId: row.lastMessageId,
    presence: people.map((p) => ({ ...p, seenAt: new Date(p.seenAt).toISOString() })),
  };
}

type PresenceRow = Omit<PresenceDto, "seenAt"> & { seenAt: string };

/**
 * A version of the agents' queue: changes whenever an active ticket is
 * created, changed (any write stamps updated_at) or leaves the active
 * statuses. Walks the active tickets only (the queue's partial index), so
 * its cost follows the queue, not the history.
 */
export async function getQueueVersion(actor: Actor): Promise<string> {
  authorize(actor, "support.work");
  const db = await getDb();
  const [v] = await db
    .select({
      count: sql<string>`count(*)::text`,
      sum: sql<string>`coalesce(sum(hashtext(${t.id} || ':' || extract(epoch from ${t.updatedAt})::text)::bigint), 0)::text`,
    })
    .from(t)
    .where(sql`${t.status} not in ('resolved','closed')`);
  return `${v?.count ?? 0}.${v?.sum ?? 0}`;
}
