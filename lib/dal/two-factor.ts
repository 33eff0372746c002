import "server-only";
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { appSettings, userRecoveryCodes, users } from "@/db/schema";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorize, rolesWith } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { mustEnrolTwoFactor, REQUIRE_STAFF_TWO_FACTOR } from "./account-access";

export interface TwoFactorStatusDto {
  enabled: boolean;
  enabledAt: string | null;
  /** Unused recovery codes left (0 when two-factor is off). */
  recoveryCodesLeft: number;
}

/** The caller's own two-factor state, for Settings. */
export async function getTwoFactorStatus(actor: UserActor): Promise<TwoFactorStatusDto> {
  return twoFactorStatusOf(actor.id);
}

/** A user's two-factor state as the admin console shows it (never the secret). */
export async function getTwoFactorStatusForAdmin(actor: Actor, userId: string): Promise<TwoFactorStatusDto> {
  authorize(actor, "admin.view");
  return twoFactorStatusOf(userId);
}

async function twoFactorStatusOf(userId: string): Promise<TwoFactorStatusDto> {
  const db = await getDb();
  const [u] = await db.select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  if (!u) throw new AppError("not_found", "User not found");
  if (!u.enabledAt) return { enabled: false, enabledAt: null, recoveryCodesLeft: 0 };
  const [left] = await db
    .select({ n: count() })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
  return { enabled: true, enabledAt: u.enabledAt.toISOString(), recoveryCodesLeft: Number(left?.n ?? 0) };
}

/** Whether admins require two-factor of staff (app_settings, off unless set). */
export async function isStaffTwoFactorRequired(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, REQUIRE_STAFF_TWO_FACTOR));
  return row?.value === true;
}

/**
 * Security-critical: the same rule as a session's (mustEnrolTwoFactor), for a
 * request signed with a personal token: a staff account that must enrol can
 * do nothing else with its tokens either.
 */
export async function mustEnrolTwoFactorNow(userId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ pending: mustEnrolTwoFactor() }).from(users).where(eq(users.id, userId));
  return row?.pending === true;
}

export interface StaffMemberDto {
  id: string;
  email: string;
  name: string | null;
  role: UserActor["role"];
  twoFactorEnabled: boolean;
}

/** Agents and admins with their two-factor state, for the admin security page. */
export async function listStaffTwoFactor(actor: Actor): Promise<StaffMemberDto[]> {
  authorize(actor, "users.manage");
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(and(inArray(users.role, [...rolesWith("support.work")]), isNull(users.deletedAt)))
    .orderBy(asc(users.email))
    .limit(500);
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, twoFactorEnabled: !!r.enabledAt }));
}
