import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, ts } from "./_columns";
import { users } from "./users";

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The first characters, shown in lists so a user can tell tokens apart. */
    prefix: text("prefix").notNull(),
    lastUsedAt: ts("last_used_at"),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: text("actor_id"),
    actorKind: text("actor_kind").$type<"user" | "system" | "agent" | "anonymous">().notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt),
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    index("audit_log_actor_idx").on(t.actorId),
  ],
);

export const EMAIL_STATUSES = ["pending", "sending", "sent", "failed", "logged"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: id(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    template: text("template").notNull(),
    status: text("status").$type<EmailStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_created_idx").on(t.createdAt),
    index("email_outbox_to_idx").on(t.toAddress),
  ],
);

export const JOB_RUN_STATUSES = ["running", "succeeded", "failed"] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export const jobRuns = pgTable(
  "job_runs",
  {
    id: id(),
    job: text("job").notNull(),
    trigger: text("trigger").$type<"schedule" | "manual" | "event">().notNull(),
    runner: text("runner").$type<"embedded" | "inngest">().notNull(),
    status: text("status").$type<JobRunStatus>().notNull().default("running"),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    counts: jsonb("counts").$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    progress: jsonb("progress").$type<{ done: number; total: number | null; step?: string }>(),
    error: text("error"),
    /** Moved by the process running it while it lives; a run whose heartbeat stopped was interrupted. */
    heartbeatAt: ts("heartbeat_at").notNull().defaultNow(),
  },
  (t) => [
    index("job_runs_job_started_idx").on(t.job, t.startedAt),
    index("job_runs_started_idx").on(t.startedAt),
    index("job_runs_running_idx").on(t.heartbeatAt).where(sql`${t.status} = 'running'`),
  ],
);

/**
 * One row per master key id: a check value derived from the key (an HMAC of a
 * fixed text, which reveals nothing about the key), written on the key's first
 * use. An instance whose key disagrees with it refuses to start.
 */
export const encryptionKeyChecks = pgTable("encryption_key_checks", {
  keyId: text("key_id").primaryKey(),
  checkValue: text("check_value").notNull(),
  createdAt: createdAt(),
});

/** Fixed-window counters for rate limits, shared by every app instance. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: ts("window_start").notNull(),
  count: integer("count").notNull().default(0),
});

/** Settings admins change at run time (e.g. two-factor required for staff), one row per key. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedById: text("updated_by_id"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
