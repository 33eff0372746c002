import { sql } from "drizzle-orm";
import { bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts, updatedAt } from "./_columns";
import { users } from "./users";

export const TICKET_CATEGORIES = ["technical", "billing", "account", "vpn_connection", "feature_request", "bug_report", "other"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_STATUSES = ["open", "in_progress", "waiting_user", "waiting_support", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** PostgreSQL's full-text document type; written only by the database (generated columns). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** One row per month: ticket numbers TKT-YYYYMM-NNNNN come from `last` under a row lock, never max()+1. */
export const ticketCounters = pgTable("ticket_counters", {
  month: text("month").primaryKey(),
  last: integer("last").notNull().default(0),
});

export const supportTickets = pgTable(
  "support_tickets",
  {
    id: id(),
    ticketNumber: text("ticket_number").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedToId: text("assigned_to_id").references(() => users.id, { onDelete: "set null" }),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    category: text("category").$type<TicketCategory>().notNull(),
    priority: text("priority").$type<TicketPriority>().notNull().default("medium"),
    status: text("status").$type<TicketStatus>().notNull().default("open"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** First-response deadline; stored when the ticket is written. */
    slaResponseDueAt: ts("sla_response_due_at").notNull(),
    /** Resolution deadline; moves forward by the time spent waiting on the user. */
    slaDueAt: ts("sla_due_at").notNull(),
    slaResponseBreached: boolean("sla_response_breached").notNull().default(false),
    slaResponseBreachedAt: ts("sla_response_breached_at"),
    slaBreached: boolean("sla_breached").notNull().default(false),
    slaBreachedAt: ts("sla_breached_at"),
    /** When the resolution clock was paused (status waiting_user); null while it runs. */
    slaPausedAt: ts("sla_paused_at"),
    slaPausedSeconds: bigint("sla_paused_seconds", { mode: "number" }).notNull().default(0),
    firstResponseAt: ts("first_response_at"),
    resolvedAt: ts("resolved_at"),
    closedAt: ts("closed_at"),
    userRating: integer("user_rating"),
    userFeedback: text("user_feedback"),
    ratedAt: ts("rated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Full-text document of the subject (weight A) and the request (B), kept by the database. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(subject, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex("support_tickets_number_key").on(t.ticketNumber),
    index("support_tickets_search_idx").using("gin", t.searchVector),
    index("support_tickets_tags_idx").using("gin", sql`${t.tags} jsonb_path_ops`),
    index("support_tickets_user_idx").on(t.userId, t.createdAt),
    index("support_tickets_status_idx").on(t.status),
    index("support_tickets_priority_idx").on(t.priority),
    index("support_tickets_category_idx").on(t.category),
    index("support_tickets_created_idx").on(t.createdAt),
    index("support_tickets_assignee_idx").on(t.assignedToId),
    index("support_tickets_queue_idx").on(t.slaDueAt, t.id).where(sql`${t.status} not in ('resolved','closed')`),
    check("support_tickets_category_check", sql`${t.category} in ('technical','billing','account','vpn_connection','feature_request','bug_report','other')`),
    check("support_tickets_priority_check", sql`${t.priority} in ('low','medium','high','urgent')`),
    check("support_tickets_status_check", sql`${t.status} in ('open','in_progress','waiting_user','waiting_support','resolved','closed')`),
    check("support_tickets_rating_check", sql`${t.userRating} is null or ${t.userRating} between 1 and 5`),
  ],
);

export type AttachmentRef = { id: string; filename: string; contentType: string; size: number };

export const ticketMessages = pgTable(
  "ticket_messages",
  {
    id: id(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => supportTickets.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    message: text("message").notNull(),
    /** Staff-only note: never returned, rendered or emailed to the requester. */
    isInternal: boolean("is_internal").notNull().default(false),
    isAutomated: boolean("is_automated").notNull().default(false),
    attachments: jsonb("attachments").$type<AttachmentRef[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    /** Full-text document of the message, kept by the database. */
    searchVector: tsvector("search_vector").generatedAlwaysAs(sql`to_tsvector('english', coalesce(message, ''))`),
  },
  (t) => [
    index("ticket_messages_ticket_idx").on(t.ticketId, t.createdAt),
    index("ticket_messages_search_idx").using("gin", t.searchVector),
    index("ticket_messages_user_idx").on(t.userId),
  ],
);

/** Canned replies: admins write them, agents insert them (placeholders filled in), optionally setting status and tags. */
export const supportMacros = pgTable(
  "support_macros",
  {
    id: id(),
    name: text("name").notNull(),
    body: text("body").notNull(),
    setStatus: text("set_status").$type<TicketStatus>(),
    addTags: jsonb("add_tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("support_macros_name_key").on(sql`lower(${t.name})`),
    index("support_macros_created_by_idx").on(t.createdById),
    check("support_macros_status_check", sql`${t.setStatus} is null or ${t.setStatus} in ('open','in_progress','waiting_user','waiting_support','resolved','closed')`),
  ],
);

/**
 * Who has a ticket open right now, and whether they are typing a reply:
 * one row per ticket and person, refreshed while the page is open, read as
 * "present" while fresh. In the database so every instance sees it.
 */
export const ticketPresence = pgTable(
  "ticket_presence",
  {
    ticketId: text("ticket_id")
      .notNull()
      .references(() => supportTickets.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    replying: boolean("replying").notNull().default(false),
    seenAt: ts("seen_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index("ticket_presence_seen_idx").on(t.seenAt), index("ticket_presence_user_idx").on(t.userId)],
);

export const ticketAttachments = pgTable(
  "ticket_attachments",
  {
    id: id(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => supportTickets.id, { onDelete: "cascade" }),
    messageId: text("message_id").references(() => ticketMessages.id, { onDelete: "cascade" }),
    uploaderId: text("uploader_id").references(() => users.id, { onDelete: "set null" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    /** Where the bytes are, relative to the attachments store; never under the web root. */
    storageKey: text("storage_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ticket_attachments_ticket_idx").on(t.ticketId),
    index("ticket_attachments_message_idx").on(t.messageId),
    index("ticket_attachments_uploader_idx").on(t.uploaderId),
  ],
);
