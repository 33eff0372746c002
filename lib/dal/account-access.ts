import "server-only";
import { and, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { appSettings, users } from "@/db/schema";
import { rolesWith } from "@/lib/auth/policy";

/**
 * Security-critical: "a banned or deleted account opens nothing", stated once for every
 * credential (session cookie, personal token). It goes into the where clause
 * of the query that reads the account behind the credential, so a ban takes
 * effect on the next request whichever way the request is signed.
 */
export const accountMayAuthenticate = () => and(ne(users.status, "banned"), isNull(users.deletedAt))!;

/** The app_settings key of "staff must use two-factor sign-in" (a JSON boolean). */
export const REQUIRE_STAFF_TWO_FACTOR = "require_staff_2fa";

/**
 * Security-critical: a staff account (the roles that work the ticket queue:
 * agents and admins) without two-factor while admins require it. Such a
 * credential may only enrol (lib/api/authenticate.ts, lib/auth/session.ts).
 * Selected beside the account in the query that authenticates it, so it
 * costs no extra round trip.
 */
export const mustEnrolTwoFactor = (): SQL<boolean> =>
  sql<boolean>`(${and(
    inArray(users.role, [...rolesWith("support.work")]),
    isNull(users.totpEnabledAt),
    sql`exists (select 1 from ${appSettings} where ${eq(appSettings.key, REQUIRE_STAFF_TWO_FACTOR)} and ${appSettings.value} = 'true'::jsonb)`,
  )})`;
