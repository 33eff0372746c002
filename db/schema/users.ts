import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts, updatedAt } from "./_columns";

export const ROLES = ["user", "agent", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const ACCOUNT_STATUSES = ["active", "suspended", "banned"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name"),
    emailVerified: ts("email_verified"),
    image: text("image"),
    passwordHash: text("password_hash"),
    role: text("role").$type<Role>().notNull().default("user"),
    status: text("status").$type<AccountStatus>().notNull().default("active"),
    statusReason: text("status_reason"),
    timeZone: text("time_zone"),
    /** Over the plan's monthly data allowance: the account's peers stay out of server configs until this instant. */
    quotaBlockedUntil: ts("quota_blocked_until"),
    /** The month (YYYY-MM, in the account's time zone) for which the 80 % and 100 % emails went out. */
    quotaWarned80: text("quota_warned_80"),
    quotaWarned100: text("quota_warned_100"),
    lastLoginAt: ts("last_login_at"),
    /** Two-factor sign-in (TOTP, RFC 6238): the secret sealed like WireGuard keys; enabled once confirmed with a first code. */
    totpSecretSealed: text("totp_secret_sealed"),
    totpEnabledAt: ts("totp_enabled_at"),
    /** A secret offered by setup and not confirmed yet (sealed); replaced by each new setup. */
    totpPendingSealed: text("totp_pending_sealed"),
    /** Set when the owner deleted the account: personal data is gone, the row stays for anonymised records. */
    deletedAt: ts("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    index("users_email_prefix_idx").on(sql`lower(${t.email}) text_pattern_ops`),
    index("users_created_at_idx").on(t.createdAt),
    check("users_role_check", sql`${t.role} in ('user','agent','admin')`),
    check("users_status_check", sql`${t.status} in ('active','suspended','banned')`),
  ],
);

/* Auth.js tables (accounts, sessions, verification tokens): kept so OAuth or
 * magic-link providers can be added without a schema change. Credentials
 * sign-in uses JWT sessions and does not write to them. */
export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: ts("expires").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: ts("expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/** Every sign-in attempt, successful or not: feeds lockout and analytics. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: id(),
    email: text("email").notNull(),
    ip: text("ip"),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    success: boolean("success").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sign_in_attempts_email_idx").on(sql`lower(${t.email})`, t.createdAt),
    index("sign_in_attempts_ip_idx").on(t.ip, t.createdAt),
    index("sign_in_attempts_created_idx").on(t.createdAt),
    index("sign_in_attempts_user_idx").on(t.userId),
  ],
);

/**
 * A signed-in browser: the session cookie (a JWT) carries this row's id, and
 * every request checks that the row is still open, on every instance. Signing
 * out, a ban or "sign out everywhere" ends it at once.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    endedAt: ts("ended_at"),
    endedReason: text("ended_reason").$type<"signed_out" | "revoked" | "revoked_all" | "banned" | "password_changed" | "password_reset" | "expired" | "account_deleted">(),
  },
  // Every session of a user, open or ended: the list reads the open ones, deleting the user removes them all.
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

/** Single-use two-factor recovery codes, stored hashed; shown once when two-factor is enabled. */
export const userRecoveryCodes = pgTable(
  "user_recovery_codes",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("user_recovery_codes_user_idx").on(t.userId)],
);

/**
 * One-time tokens sent by email: password resets and address verification.
 * Only a hash of the token is kept; a token works once and until it expires.
 */
export const EMAIL_TOKEN_PURPOSES = ["password_reset", "email_verification"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];
export const emailTokens = pgTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
    /** The address the token was sent to (verification is of that address). */
    email: text("email").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_tokens_user_idx").on(t.userId, t.purpose),
    index("email_tokens_expires_idx").on(t.expiresAt),
    check("email_tokens_purpose_check", sql`${t.purpose} in ('password_reset','email_verification')`),
  ],
);
