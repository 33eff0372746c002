import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts, updatedAt } from "./_columns";
import { users } from "./users";
import { supportTickets } from "./support";

export const INCIDENT_TYPES = ["excessive_bandwidth", "rapid_reconnects", "concurrent_connections", "suspicious_traffic_pattern", "account_sharing"] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_STATUSES = ["pending", "investigating", "resolved", "false_positive"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const DETECTION_METHODS = ["automated", "manual", "user_report"] as const;
export const ACTIONS_TAKEN = ["warning_sent", "account_suspended", "account_banned", "none"] as const;
export type ActionTaken = (typeof ACTIONS_TAKEN)[number];

export const abuseDetectionLogs = pgTable(
  "abuse_detection_logs",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    incidentType: text("incident_type").$type<IncidentType>().notNull(),
    severity: text("severity").$type<Severity>().notNull(),
    description: text("description").notNull(),
    /** Evidence: the figures, the window, the addresses or sessions involved. */
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    detectionMethod: text("detection_method").$type<(typeof DETECTION_METHODS)[number]>().notNull().default("automated"),
    actionTaken: text("action_taken").$type<ActionTaken>().notNull().default("none"),
    status: text("status").$type<IncidentStatus>().notNull().default("pending"),
    detectedAt: ts("detected_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
    resolvedById: text("resolved_by_id").references(() => users.id, { onDelete: "set null" }),
    resolutionNote: text("resolution_note"),
    /** A warning email went to the user (through the outbox), when and by whom. */
    warningSent: boolean("warning_sent").notNull().default(false),
    warningSentAt: ts("warning_sent_at"),
    warningSentById: text("warning_sent_by_id").references(() => users.id, { onDelete: "set null" }),
    /** Who opened it by hand (manual) or turned a ticket into it (user_report), and that ticket. */
    reportedById: text("reported_by_id").references(() => users.id, { onDelete: "set null" }),
    ticketId: text("ticket_id").references(() => supportTickets.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("abuse_logs_user_idx").on(t.userId),
    index("abuse_logs_type_idx").on(t.incidentType),
    index("abuse_logs_severity_idx").on(t.severity),
    index("abuse_logs_status_idx").on(t.status),
    index("abuse_logs_detected_idx").on(t.detectedAt),
    index("abuse_logs_user_detected_idx").on(t.userId, t.detectedAt, t.id),
    index("abuse_logs_ticket_idx").on(t.ticketId),
    index("abuse_logs_reported_by_idx").on(t.reportedById),
    index("abuse_logs_resolved_by_idx").on(t.resolvedById),
    index("abuse_logs_warning_sent_by_idx").on(t.warningSentById),
    // The database itself refuses a second open incident of one type for one user.
    uniqueIndex("abuse_logs_open_key").on(t.userId, t.incidentType).where(sql`${t.status} in ('pending','investigating')`),
    check("abuse_logs_type_check", sql`${t.incidentType} in ('excessive_bandwidth','rapid_reconnects','concurrent_connections','suspicious_traffic_pattern','account_sharing')`),
    check("abuse_logs_severity_check", sql`${t.severity} in ('low','medium','high','critical')`),
    check("abuse_logs_status_check", sql`${t.status} in ('pending','investigating','resolved','false_positive')`),
  ],
);

/**
 * Temporary rate limits on all of a user's devices, enforced by each server's
 * agent with tc. At most one in force per user (lifted_at null and until in
 * the future); the rows stay as the history of what was done and by whom.
 */
export const userThrottles = pgTable(
  "user_throttles",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rateKbit: integer("rate_kbit").notNull(),
    startsAt: ts("starts_at").notNull().defaultNow(),
    until: ts("until").notNull(),
    reason: text("reason"),
    incidentId: text("incident_id").references(() => abuseDetectionLogs.id, { onDelete: "set null" }),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    /** Set when lifted early by someone, or when the expiry job ended it. */
    liftedAt: ts("lifted_at"),
    liftedById: text("lifted_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("user_throttles_active_key").on(t.userId).where(sql`${t.liftedAt} is null`),
    index("user_throttles_until_idx").on(t.until).where(sql`${t.liftedAt} is null`),
    // A user's history reads the throttles of a page of incidents, and deleting an incident clears its link.
    index("user_throttles_incident_idx").on(t.incidentId),
    index("user_throttles_user_idx").on(t.userId, t.createdAt),
    index("user_throttles_created_by_idx").on(t.createdById),
    index("user_throttles_lifted_by_idx").on(t.liftedById),
    check("user_throttles_rate_check", sql`${t.rateKbit} between 8 and 10000000`),
  ],
);
