import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts, updatedAt } from "./_columns";
import { users } from "./users";

export const plans = pgTable("plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** null: DEFAULT_DEVICE_LIMIT from the environment. */
  deviceLimit: integer("device_limit"),
  priceCents: integer("price_cents").notNull().default(0),
  /** Monthly data allowance in GB (10^9 bytes); null: unlimited. */
  monthlyDataGb: integer("monthly_data_gb"),
  /** New devices on this plan expire after this many days; null: never. */
  deviceExpiryDays: integer("device_expiry_days"),
  isDefault: boolean("is_default").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const SUBSCRIPTION_STATUSES = ["active", "past_due", "cancelled"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    status: text("status").$type<SubscriptionStatus>().notNull().default("active"),
    priceCents: integer("price_cents").notNull().default(0),
    startedAt: ts("started_at").notNull().defaultNow(),
    renewedAt: ts("renewed_at"),
    currentPeriodEnd: ts("current_period_end"),
    cancelledAt: ts("cancelled_at"),
    renewals: integer("renewals").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("subscriptions_user_idx").on(t.userId),
    index("subscriptions_plan_idx").on(t.planId),
    index("subscriptions_status_idx").on(t.status),
    // Revenue per plan (admin dashboard): the live subscriptions' plan and price, read from the index alone.
    index("subscriptions_live_plan_idx").on(t.planId, t.priceCents).where(sql`${t.status} in ('active','past_due')`),
    check("subscriptions_status_check", sql`${t.status} in ('active','past_due','cancelled')`),
  ],
);

export const PLAN_REQUEST_STATUSES = ["pending", "approved", "rejected", "cancelled"] as const;
export type PlanRequestStatus = (typeof PLAN_REQUEST_STATUSES)[number];

/** A user's request to change plan, decided by an admin (no payment provider). One pending request per user. */
export const planChangeRequests = pgTable(
  "plan_change_requests",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fromPlanId: text("from_plan_id").references(() => plans.id),
    toPlanId: text("to_plan_id")
      .notNull()
      .references(() => plans.id),
    status: text("status").$type<PlanRequestStatus>().notNull().default("pending"),
    note: text("note"),
    decidedById: text("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("plan_change_requests_pending_key").on(t.userId).where(sql`${t.status} = 'pending'`),
    index("plan_change_requests_status_idx").on(t.status, t.createdAt),
    index("plan_change_requests_user_idx").on(t.userId, t.createdAt),
    index("plan_change_requests_from_plan_idx").on(t.fromPlanId),
    index("plan_change_requests_to_plan_idx").on(t.toPlanId),
    index("plan_change_requests_decided_by_idx").on(t.decidedById),
    check("plan_change_requests_status_check", sql`${t.status} in ('pending','approved','rejected','cancelled')`),
  ],
);
