import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { supportTickets as t, ticketAttachments, ticketMessages, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorize, can } from "@/lib/auth/policy";
import { forbidden, notFound, validation } from "@/lib/errors";
import { isActiveStatus } from "@/lib/support/sla";
import { ID_PATTERN, type TicketFilters, type TicketStatus } from "@/lib/validation/support";
import { snapshotFromMetadata } from "@/lib/support/device-snapshot";
import { getSlaTargets } from "@/lib/support/sla-config";
import { ACTIVE_SQL, breachedNowSql, dueSoonSql } from "./ticket-sla-sql";
import { searchText, searchTickets } from "./ticket-search";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";
import {
  ticketColumns,
  toAttachmentDto,
  toTicketDto,
  type MessageDto,
  type PersonDto,
  type QueueTicketDto,
  type TicketDetailDto,
  type TicketDto,
  type TicketRow,
} from "./ticket-dto";

/**
 * Support tickets, read side. Security-critical: every read is scoped by a
 * view. "requester" is the actor's own tickets, without internal notes or
 * their files; "staff" is every ticket with everything, and only staff (or a
 * background job) get it. A ticket outside the view is "not found".
 */
export type TicketView = "requester" | "staff";

export function resolveView(actor: Actor, view?: TicketView): TicketView {
  const staff = can(actor, "support.work");
  if (actor.kind === "agent") throw forbidden();
  if (view === "staff") authorize(actor, "support.work");
  if (view === "requester" && actor.kind !== "user") throw forbidden();
  return view ?? (staff ? "staff" : "requester");
}

export function ticketScope(actor: Actor, view: TicketView): SQL | undefined {
  return view === "requester" && actor.kind === "user" ? eq(t.userId, actor.id) : undefined;
}

/** The ticket row if the view may see it (optionally locked for an update), else 404. */
export async function findTicketRow(db: DbOrTx, actor: Actor, id: string, view: TicketView, opts: { forUpdate?: boolean } = {}): Promise<TicketRow> {
  if (!ID_PATTERN.test(id)) throw notFound("Ticket");
  const q = db.select(ticketColumns).from(t).where(and(eq(t.id, id), ticketScope(actor, view))).limit(1);
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw notFound("Ticket");
  return row as TicketRow;
}

/**
 * What a message's author is called for the reader `viewerId`: "You" for the
 * reader's own messages, whatever their role (the request itself is shown as
 * "You" too, and a message just sent answers "You"), and never for anyone
 * else; others by name, else by email for staff, else "SecureWave support".
 */
export function authorName(author: { id: string | null; name: string | null; email: string | null; role: string }, view: TicketView, viewerId: string | null): string {
  if (viewerId && author.id === viewerId) return "You";
  if (author.name) return author.name;
  if (view === "staff") return author.email ?? "Unknown";
  return author.role === "user" ? "Unknown" : "SecureWave support";
}

/**
 * The conversation as `viewerId` reads it (their own messages are "You");
 * internal notes only in the staff view. `page` narrows it (messages after an
 * anchor) and bounds it.
 */
export async function listTicketMessages(
  db: DbOrTx,
  ticketId: string,
  view: TicketView,
  viewerId: string | null,
  page: { where?: SQL; limit?: number } = {},
): Promise<MessageDto[]> {
  const query = db
    .select({
      id: ticketMessages.id,
      userId: ticketMessages.userId,
      message: ticketMessages.message,
      isInternal: ticketMessages.isInternal,
      isAutomated: ticketMessages.isAutomated,
      attachments: ticketMessages.attachments,
      createdAt: ticketMessages.createdAt,
      authorName: users.name,
      authorEmail: users.email,
      authorRole: users.role,
    })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.userId))
    .where(and(eq(ticketMessages.ticketId, ticketId), view === "staff" ? undefined : eq(ticketMessages.isInternal, false), page.where))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
  const list = page.limit ? await query.limit(page.limit) : await query;
  return list.map((m) => ({
    id: m.id,
    ticketId,
    userId: m.userId,
    author: m.authorRole
      ? { name: authorName({ id: m.userId, name: m.authorName, email: m.authorEmail, role: m.authorRole }, view, viewerId), isStaff: m.authorRole !== "user" }
      : null,
    message: m.message,
    isInternal: m.isInternal,
    isAutomated: m.isAutomated,
    attachments: (m.attachments ?? []).map((a) => toAttachmentDto(ticketId, a)),
    createdAt: m.createdAt.toISOString(),
  }));
}

export async function getTicket(actor: Actor, id: string, opts: { view?: TicketView; now?: Date } = {}): Promise<TicketDetailDto> {
  const view = resolveView(actor, opts.view);
  const db = await getDb();
  const row = await findTicketRow(db, actor, id, view);
  const [messages, files] = await Promise.all([
    listTicketMessages(db, id, view, actor.kind === "user" ? actor.id : null),
    db
      .select({ id: ticketAttachments.id, filename: ticketAttachments.filename, contentType: ticketAttachments.contentType, size: ticketAttachments.sizeBytes })
      .from(ticketAttachments)
      .where(and(eq(ticketAttachments.ticketId, id), isNull(ticketAttachments.messageId)))
      .orderBy(asc(ticketAttachments.createdAt), asc(ticketAttachments.id)),
  ]);
  const detail: TicketDetailDto = {
    ...toTicketDto(row, opts.now ?? new Date(), getSlaTargets()),
    messages,
    attachments: files.map((f) => toAttachmentDto(id, f)),
    deviceSnapshot: snapshotFromMetadata(row.metadata),
  };
  if (view !== "staff") return detail;
  // Staff also see who asked and who works it.
  const people = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(inArray(users.id, [row.userId, ...(row.assignedToId ? [row.assignedToId] : [])]));
  const person = (pid: string | null) => people.find((p) => p.id === pid) ?? null;
  return { ...detail, requester: person(row.userId) ?? { id: row.userId, email: "", name: null }, assignee: person(row.assignedToId) };
}

// Cursor keys keep timestamps at microsecond precision: a JS Date would round them and skip or repeat rows.
const keyOf = (col: SQL | AnyPgColumn) => timestampKey(col as SQL);

/** A list cursor: the sort it was made for, then its last row's key and id (lib/dal/keyset-cursor checks each part). */
function decodeTicketCursor(cursor: string, sort: string): { at: string; id: string } {
  const [tag, at, id] = decodeCursor(cursor, ["text", "time", "id"] as const);
  if (tag !== sort) throw validation("Invalid cursor", [{ path: "cursor", message: "Invalid cursor" }]);
  return { at, id };
}

function statusFilter(status: TicketFilters["status"]): SQL | undefined {
  if (!status || status === "all") return undefined;
  if (status === "active") return ACTIVE_SQL;
  // Restating the partial index's predicate lets an active-status filter use it too.
  return isActiveStatus(status as TicketStatus) ? and(ACTIVE_SQL, eq(t.status, status as TicketStatus)) : eq(t.status, status as TicketStatus);
}

export interface ListOptions {
  view?: TicketView;
  now?: Date;
  /** Status when the filter has none: the API lists everything, the queue page only active tickets. */
  defaultStatus?: TicketFilters["status"];
}

function listPlan(actor: Actor, filters: TicketFilters, opts: ListOptions) {
  const view = resolveView(actor, opts.view);
  const now = opts.now ?? new Date();
  const targets = getSlaTargets();
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const sort = view === "staff" ? "sla" : "new";
  const after = filters.cursor ? decodeTicketCursor(filters.cursor, sort) : null;
  const me = actor.kind === "user" ? actor.id : null;
  const assigned = filters.assignedTo;
  const where = and(
    ticketScope(actor, view),
    statusFilter(filters.status ?? opts.defaultStatus),
    filters.priority ? eq(t.priority, filters.priority) : undefined,
    filters.category ? eq(t.category, filters.category) : undefined,
    assigned === "none" ? isNull(t.assignedToId) : assigned === "me" ? (me ? eq(t.assignedToId, me) : sql`false`) : assigned ? eq(t.assignedToId, assigned) : undefined,
    filters.sla === "breached" ? breachedNowSql(now) : filters.sla === "due_soon" ? dueSoonSql(now, targets) : undefined,
    // Containment, so that the GIN index support_tickets_tags_idx (jsonb_path_ops) can answer it.
    filters.tag ? sql`${t.tags} @> ${JSON.stringify([filters.tag])}::jsonb` : undefined,
    after
      ? sort === "sla"
        ? sql`(${t.slaDueAt}, ${t.id}) > (${after.at}::timestamptz, ${after.id})`
        : sql`(${t.createdAt}, ${t.id}) < (${after.at}::timestamptz, ${after.id})`
      : undefined,
  );
  const order = sort === "sla" ? [asc(t.slaDueAt), asc(t.id)] : [desc(t.createdAt), desc(t.id)];
  return { view, now, targets, limit, sort, where, order, key: keyOf(sort === "sla" ? t.slaDueAt : t.createdAt) };
}

const requester = alias(users, "requester");
const assignee = alias(users, "assignee");

/** The staff list's query, unexecuted: tests EXPLAIN it to prove the queue walks support_tickets_queue_idx. */
export function staffListQuery(db: DbOrTx, actor: Actor, filters: TicketFilters = {}, opts: ListOptions = {}) {
  const p = listPlan(actor, filters, { ...opts, view: "staff" });
  return db
    .select({
      ...ticketColumns,
      key: p.key,
      requesterEmail: requester.email,
      requesterName: requester.name,
      assigneeEmail: assignee.email,
      assigneeName: assignee.name,
    })
    .from(t)
    .innerJoin(requester, eq(requester.id, t.userId))
    .leftJoin(assignee, eq(assignee.id, t.assignedToId))
    .where(p.where)
    .orderBy(...p.order)
    .limit(p.limit + 1);
}

/**
 * Keyset-paginated lists. Staff: every ticket, most urgent SLA first, on
 * (sla_due_at, id) — the queue's default (active tickets) walks the partial
 * index support_tickets_queue_idx. Requesters: their own, newest first.
 */
export async function listTickets(
  actor: Actor,
  filters: TicketFilters = {},
  opts: ListOptions = {},
): Promise<{ items: Array<TicketDto | QueueTicketDto>; nextCursor: string | null }> {
  const q = searchText(filters.q);
  if (q) return searchList(actor, filters, opts, q);
  const p = listPlan(actor, filters, opts);
  const db = await getDb();
  if (p.view === "requester") {
    const found = await db.select({ ...ticketColumns, key: p.key }).from(t).where(p.where).orderBy(...p.order).limit(p.limit + 1);
    const page = found.slice(0, p.limit);
    return { items: page.map((r) => toTicketDto(r as TicketRow, p.now, p.targets)), nextCursor: nextCursor(found, page, p.limit, p.sort) };
  }
  const found = await staffListQuery(db, actor, filters, opts);
  const page = found.slice(0, p.limit);
  return {
    items: page.map(
      (r): QueueTicketDto => ({
        ...toTicketDto(r as TicketRow, p.now, p.targets),
        requester: { id: r.userId, email: r.requesterEmail, name: r.requesterName },
        assignee: r.assignedToId && r.assigneeEmail ? { id: r.assignedToId, email: r.assigneeEmail, name: r.assigneeName } : null,
      }),
    ),
    nextCursor: nextCursor(found, page, p.limit, p.sort),
  };
}

/**
 * A search: the list's filters (all statuses unless one is asked for), best
 * match first, each item with its highlight (lib/dal/ticket-search.ts).
 */
async function searchList(actor: Actor, filters: TicketFilters, opts: ListOptions, q: string) {
  const p = listPlan(actor, { ...filters, cursor: undefined }, { ...opts, defaultStatus: undefined });
  const db = await getDb();
  const { hits, nextCursor } = await searchTickets(db, {
    view: p.view,
    ownerId: actor.kind === "user" ? actor.id : null,
    q,
    where: p.where,
    cursor: filters.cursor ?? null,
    limit: p.limit,
  });
  if (hits.length === 0) return { items: [], nextCursor: null };
  const ids = hits.map((h) => h.id);
  const byId = new Map<string, TicketDto | QueueTicketDto>();
  if (p.view === "requester") {
    const found = await db.select(ticketColumns).from(t).where(inArray(t.id, ids));
    for (const r of found) byId.set(r.id, toTicketDto(r as TicketRow, p.now, p.targets));
  } else {
    const found = await db
      .select({ ...ticketColumns, requesterEmail: requester.email, requesterName: requester.name, assigneeEmail: assignee.email, assigneeName: assignee.name })
      .from(t)
      .innerJoin(requester, eq(requester.id, t.userId))
      .leftJoin(assignee, eq(assignee.id, t.assignedToId))
      .where(inArray(t.id, ids));
    for (const r of found) {
      byId.set(r.id, {
        ...toTicketDto(r as TicketRow, p.now, p.targets),
        requester: { id: r.userId, email: r.requesterEmail, name: r.requesterName },
        assignee: r.assignedToId && r.assigneeEmail ? { id: r.assignedToId, email: r.assigneeEmail, name: r.assigneeName } : null,
      });
    }
  }
  const items = hits.flatMap((h) => {
    const item = byId.get(h.id);
    return item ? [{ ...item, highlight: h.highlight }] : [];
  });
  return { items, nextCursor };
}

function nextCursor(found: Array<{ key: string; id: string }>, page: Array<{ key: string; id: string }>, limit: number, sort: string): string | null {
  const last = page[page.length - 1];
  return found.length > limit && last ? encodeCursor([sort, last.key, last.id]) : null;
}

export interface TicketStatsDto {
  total: number;
  open: number;
  resolved: number;
  byStatus: Record<TicketStatus, number>;
  unassigned: number;
  averageFirstResponseSeconds: number | null;
  averageResolutionSeconds: number | null;
  /** Tickets with a recorded breach of either kind, and per kind. */
  slaBreaches: number;
  slaResponseBreaches: number;
  slaResolutionBreaches: number;
  /** Active tickets past a deadline right now (including those the monitor has not flagged yet). */
  breachedNow: number;
  dueSoon: number;
  averageRating: number | null;
  ratings: number;
  /** Tags of the active tickets (the queue) with how many carry each, most used first (at most 50). */
  tags: Array<{ tag: string; count: number }>;
}

/** Staff statistics in one pass over the table, and the tag counts of the queue in a second. */
export async function getTicketStats(actor: Actor, now: Date = new Date()): Promise<TicketStatsDto> {
  authorize(actor, "support.work");
  const db = await getDb();
  const n = (expr: SQL) => sql<number>`${expr}`.mapWith(Number);
  const [s] = await db
    .select({
      total: n(sql`count(*)`),
      open: n(sql`count(*) filter (where ${ACTIVE_SQL})`),
      resolved: n(sql`count(*) filter (where ${t.status} in ('resolved','closed'))`),
      sOpen: n(sql`count(*) filter (where ${t.status} = 'open')`),
      sInProgress: n(sql`count(*) filter (where ${t.status} = 'in_progress')`),
      sWaitingUser: n(sql`count(*) filter (where ${t.status} = 'waiting_user')`),
      sWaitingSupport: n(sql`count(*) filter (where ${t.status} = 'waiting_support')`),
      sResolved: n(sql`count(*) filter (where ${t.status} = 'resolved')`),
      sClosed: n(sql`count(*) filter (where ${t.status} = 'closed')`),
      unassigned: n(sql`count(*) filter (where ${ACTIVE_SQL} and ${t.assignedToId} is null)`),
      avgFirst: sql<string | null>`avg(extract(epoch from ${t.firstResponseAt} - ${t.createdAt}))`,
      avgResolution: sql<string | null>`avg(extract(epoch from ${t.resolvedAt} - ${t.createdAt}))`,
      breaches: n(sql`count(*) filter (where ${t.slaBreached} or ${t.slaResponseBreached})`),
      responseBreaches: n(sql`count(*) filter (where ${t.slaResponseBreached})`),
      resolutionBreaches: n(sql`count(*) filter (where ${t.slaBreached})`),
      breachedNow: n(sql`count(*) filter (where ${ACTIVE_SQL} and ${breachedNowSql(now)})`),
      dueSoon: n(sql`count(*) filter (where ${dueSoonSql(now, getSlaTargets())})`),
      avgRating: sql<string | null>`avg(${t.userRating})`,
      ratings: n(sql`count(${t.userRating})`),
    })
    .from(t);
  const tagCounts = await rows<{ tag: string; count: number | string }>(
    db,
    sql`select tag, count(*) as count from ${t}, jsonb_array_elements_text(${t.tags}) as tag
        where ${ACTIVE_SQL} group by tag order by count(*) desc, tag limit 50`,
  );
  const num = (v: string | null) => (v == null ? null : Math.round(Number(v) * 100) / 100);
  return {
    total: s!.total,
    open: s!.open,
    resolved: s!.resolved,
    byStatus: {
      open: s!.sOpen,
      in_progress: s!.sInProgress,
      waiting_user: s!.sWaitingUser,
      waiting_support: s!.sWaitingSupport,
      resolved: s!.sResolved,
      closed: s!.sClosed,
    },
    unassigned: s!.unassigned,
    averageFirstResponseSeconds: num(s!.avgFirst),
    averageResolutionSeconds: num(s!.avgResolution),
    slaBreaches: s!.breaches,
    slaResponseBreaches: s!.responseBreaches,
    slaResolutionBreaches: s!.resolutionBreaches,
    breachedNow: s!.breachedNow,
    dueSoon: s!.dueSoon,
    averageRating: num(s!.avgRating),
    ratings: s!.ratings,
    tags: tagCounts.map((r) => ({ tag: r.tag, count: Number(r.count) })),
  };
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
}

/**
 * Security-critical: a file is served only within the actor's view — the
 * requester gets files of their own ticket except those on internal notes.
 */
export async function findAttachment(actor: Actor, ticketId: string, attachmentId: string): Promise<StoredAttachment> {
  const view = resolveView(actor);
  if (!ID_PATTERN.test(ticketId) || !ID_PATTERN.test(attachmentId)) throw notFound("Attachment");
  const db = await getDb();
  const [row] = await db
    .select({
      id: ticketAttachments.id,
      filename: ticketAttachments.filename,
      contentType: ticketAttachments.contentType,
      sizeBytes: ticketAttachments.sizeBytes,
      sha256: ticketAttachments.sha256,
      storageKey: ticketAttachments.storageKey,
    })
    .from(ticketAttachments)
    .innerJoin(t, eq(t.id, ticketAttachments.ticketId))
    .leftJoin(ticketMessages, eq(ticketMessages.id, ticketAttachments.messageId))
    .where(
      and(
        eq(ticketAttachments.id, attachmentId),
        eq(ticketAttachments.ticketId, ticketId),
        ticketScope(actor, view),
        view === "staff" ? undefined : sql`(${ticketAttachments.messageId} is null or ${ticketMessages.isInternal} = false)`,
      ),
    )
    .limit(1);
  if (!row) throw notFound("Attachment");
  return row;
}

/** Agents and admins, for the assignee picker. */
export async function listSupportStaff(actor: Actor): Promise<PersonDto[]> {
  authorize(actor, "support.work");
  const db = await getDb();
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(inArray(users.role, ["agent", "admin"]), eq(users.status, "active")))
    .orderBy(asc(users.name), asc(users.email))
    .limit(500);
}
