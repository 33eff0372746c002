import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { plans, type PlanRequestStatus } from "@/db/schema";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "./keyset-cursor";
import { getQuotaSummary } from "./quota-summary";
import { GB, userPlanJoin } from "./quota-month";

export interface PlanDto {
  id: string;
  name: string;
  /** null: the environment's DEFAULT_DEVICE_LIMIT. */
  deviceLimit: number | null;
  priceCents: number;
  /** null: unlimited. */
  monthlyDataBytes: number | null;
  /** New devices expire after this many days; null: never. */
  deviceLifetimeDays: number | null;
  isDefault: boolean;
}

/** A plan as the admin API shows it: its own fields, the limit that applies, and its live subscribers. */
export interface AdminPlanDto extends PlanDto {
  effectiveDeviceLimit: number;
  subscribers: number;
}

const planColumns = {
  id: plans.id,
  name: plans.name,
  deviceLimit: plans.deviceLimit,
  priceCents: plans.priceCents,
  monthlyDataGb: plans.monthlyDataGb,
  deviceLifetimeDays: plans.deviceExpiryDays,
  isDefault: plans.isDefault,
};

type PlanRow = { id: string; name: string; deviceLimit: number | null; priceCents: number; monthlyDataGb: number | null; deviceLifetimeDays: number | null; isDefault: boolean };

const toPlanDto = (r: PlanRow): PlanDto => ({
  id: r.id,
  name: r.name,
  deviceLimit: r.deviceLimit === null ? null : Number(r.deviceLimit),
  priceCents: Number(r.priceCents),
  monthlyDataBytes: r.monthlyDataGb === null ? null : Number(r.monthlyDataGb) * GB,
  deviceLifetimeDays: r.deviceLifetimeDays === null ? null : Number(r.deviceLifetimeDays),
  isDefault: !!r.isDefault,
});

/**
 * The plan catalogue (names, limits, prices): public product information,
 * not owned by anyone, so it takes no actor. Callers that act on a plan
 * (changeUserPlan) authorize themselves.
 */
export async function listPlans(): Promise<PlanDto[]> {
  const db = await getDb();
  const found = await db.select(planColumns).from(plans).orderBy(asc(plans.priceCents), asc(plans.name));
  return found.map(toPlanDto);
}

async function adminPlans(where?: ReturnType<typeof eq>): Promise<AdminPlanDto[]> {
  const db = await getDb();
  const found = await db
    .select({
      ...planColumns,
      // The outer table named by hand: in a single-table query drizzle writes `"id"`, which would bind to s.id.
      subscribers: sql<number>`(select count(*) from subscriptions s where s.plan_id = plans.id and s.status <> 'cancelled')`.mapWith(Number),
    })
    .from(plans)
    .where(where)
    .orderBy(asc(plans.priceCents), asc(plans.name));
  const fallback = getEnv().DEFAULT_DEVICE_LIMIT;
  return found.map((r) => {
    const dto = toPlanDto(r);
    return { ...dto, effectiveDeviceLimit: dto.deviceLimit ?? fallback, subscribers: r.subscribers };
  });
}

/** GET /api/admin/plans, /admin/plans. */
export async function listPlansForAdmin(actor: Actor): Promise<AdminPlanDto[]> {
  authorizeUser(actor, "plans.manage");
  return adminPlans();
}

export async function getPlanForAdmin(actor: Actor, planId: string): Promise<AdminPlanDto> {
  authorizeUser(actor, "plans.manage");
  const [plan] = await adminPlans(eq(plans.id, planId));
  if (!plan) throw new AppError("not_found", "Plan not found");
  return plan;
}

export interface PlanRequestDto {
  id: string;
  userId: string;
  fromPlanId: string | null;
  fromPlanName: string | null;
  toPlanId: string;
  toPlanName: string;
  status: PlanRequestStatus;
  /** The deciding admin's note, shown to the requester. */
  note: string | null;
  decidedById: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** As an admin sees a request: with the requester. */
export interface AdminPlanRequestDto extends PlanRequestDto {
  userEmail: string;
  userName: string | null;
}

type RequestRow = Record<string, unknown>;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const requestSelect = sql`r.id, r.user_id as "userId", r.from_plan_id as "fromPlanId", fp.name as "fromPlanName", r.to_plan_id as "toPlanId",
  tp.name as "toPlanName", r.status, r.note, r.decided_by_id as "decidedById", r.decided_at as "decidedAt", r.created_at as "createdAt",
  to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as key`;
const requestFrom = sql`plan_change_requests r join plans tp on tp.id = r.to_plan_id left join plans fp on fp.id = r.from_plan_id`;

function toRequestDto(r: RequestRow): PlanRequestDto {
  return {
    id: r.id as string,
    userId: r.userId as string,
    fromPlanId: (r.fromPlanId as string | null) ?? null,
    fromPlanName: (r.fromPlanName as string | null) ?? null,
    toPlanId: r.toPlanId as string,
    toPlanName: r.toPlanName as string,
    status: r.status as PlanRequestStatus,
    note: (r.note as string | null) ?? null,
    decidedById: (r.decidedById as string | null) ?? null,
    decidedAt: iso(r.decidedAt),
    createdAt: iso(r.createdAt)!,
  };
}

/** One request by id, as the service that just wrote it answers it (no actor: the service decided who may see it). */
export async function readPlanRequest(requestId: string): Promise<PlanRequestDto> {
  const db = await getDb();
  const [row] = await rows<RequestRow>(db, sql`select ${requestSelect} from ${requestFrom} where r.id = ${requestId}`);
  if (!row) throw new AppError("not_found", "Request not found");
  return toRequestDto(row);
}

/** The caller's own requests, newest first (the plan page shows the latest decisions). */
export async function listMyPlanRequests(actor: UserActor, limit = 20): Promise<PlanRequestDto[]> {
  const db = await getDb();
  const found = await rows<RequestRow>(db, sql`select ${requestSelect} from ${requestFrom} where r.user_id = ${actor.id} order by r.created_at desc, r.id desc limit ${limit}`);
  return found.map(toRequestDto);
}

/** The admins' list: pending requests oldest first (a queue), decided ones newest first; keyset-paginated. */
export async function listPlanRequests(
  actor: Actor,
  q: { status: PlanRequestStatus | "all"; limit: number; cursor?: string },
): Promise<{ items: AdminPlanRequestDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "plans.manage");
  const after = q.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(q.cursor, ["time", "id"] as const)) : null;
  const oldestFirst = q.status === "pending";
  const db = await getDb();
  const found = await rows<RequestRow>(
    db,
    sql`select ${requestSelect}, u.email as "userEmail", u.name as "userName"
        from ${requestFrom} join users u on u.id = r.user_id
        where ${q.status === "all" ? sql`true` : sql`r.status = ${q.status}`}
          ${after ? (oldestFirst ? sql`and (r.created_at, r.id) > (${after.at}::timestamptz, ${after.id})` : sql`and (r.created_at, r.id) < (${after.at}::timestamptz, ${after.id})`) : sql``}
        order by ${oldestFirst ? sql`r.created_at asc, r.id asc` : sql`r.created_at desc, r.id desc`}
        limit ${q.limit + 1}`,
  );
  const page = found.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...toRequestDto(r), userEmail: r.userEmail as string, userName: (r.userName as string | null) ?? null })),
    nextCursor: found.length > q.limit && last ? encodeCursor([String(last.key), String(last.id)]) : null,
  };
}

export type OfferedPlanDto = PlanDto & { effectiveDeviceLimit: number };

export interface MyPlanDto {
  plan: { id: string; name: string; deviceLimit: number; monthlyDataBytes: number | null; deviceLifetimeDays: number | null; priceCents: number };
  devicesUsed: number;
  dataUsedBytes: number;
  periodResetsAt: string;
  /** The caller's time zone, in which the month is counted. */
  timeZone: string;
  /** Devices are paused until then: this month's allowance is used up. */
  blockedUntil: string | null;
  pendingRequest: PlanRequestDto | null;
  /** The plans on offer, each with the device limit that applies on it. */
  available: OfferedPlanDto[];
}

/**
 * GET /api/me/plan: the plan that applies now (the live subscription's, else
 * the default plan; the same rule as the device limit and the quota), the
 * active devices against its limit, and this month's data (lib/dal/quota-*).
 */
export async function getMyPlan(actor: UserActor, now: Date = new Date()): Promise<MyPlanDto> {
  const db = await getDb();
  const [[row], quota, available, [pending]] = await Promise.all([
    rows<Record<string, unknown>>(
      db,
      sql`select pl.id, pl.name, pl.device_limit as "deviceLimit", pl.monthly_data_gb as gb, pl.device_expiry_days as days, pl.price_cents as price,
            (select count(*)::int from wireguard_peers p where p.user_id = u.id and p.status = 'active') as devices
          from users u ${userPlanJoin} where u.id = ${actor.id}`,
    ),
    getQuotaSummary(actor, now),
    listPlans(),
    rows<RequestRow>(db, sql`select ${requestSelect} from ${requestFrom} where r.user_id = ${actor.id} and r.status = 'pending'`),
  ]);
  if (!row) throw new AppError("not_found", "Account not found");
  const fallback = getEnv().DEFAULT_DEVICE_LIMIT;
  return {
    plan: {
      id: (row.id as string | null) ?? "default",
      name: (row.name as string | null) ?? quota.planName,
      deviceLimit: row.deviceLimit === null || row.deviceLimit === undefined ? fallback : Number(row.deviceLimit),
      monthlyDataBytes: row.gb === null || row.gb === undefined ? null : Number(row.gb) * GB,
      deviceLifetimeDays: row.days === null || row.days === undefined ? null : Number(row.days),
      priceCents: Number(row.price ?? 0),
    },
    devicesUsed: Number(row.devices ?? 0),
    dataUsedBytes: quota.bytes,
    periodResetsAt: quota.resetsAt,
    timeZone: quota.timeZone,
    blockedUntil: quota.blockedUntil,
    pendingRequest: pending ? toRequestDto(pending) : null,
    available: available.map((p) => ({ ...p, effectiveDeviceLimit: p.deviceLimit ?? fallback })),
  };
}

/** For the devices page: active devices against the plan's limit, read live. */
export async function getDeviceAllowance(actor: UserActor): Promise<{ used: number; limit: number; planName: string }> {
  const db = await getDb();
  const [row] = await rows<Record<string, unknown>>(
    db,
    sql`select pl.name, pl.device_limit as "deviceLimit",
          (select count(*)::int from wireguard_peers p where p.user_id = u.id and p.status = 'active') as devices
        from users u ${userPlanJoin} where u.id = ${actor.id}`,
  );
  const fallback = getEnv().DEFAULT_DEVICE_LIMIT;
  return {
    used: Number(row?.devices ?? 0),
    limit: row?.deviceLimit === null || row?.deviceLimit === undefined ? fallback : Number(row.deviceLimit),
    planName: (row?.name as string | null) ?? "Free",
  };
}
