import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { sessionFromHeaders, type CurrentSession } from "@/lib/dal/sessions";
import type { UserActor } from "./actor";
import { can, type Permission } from "./policy";

/**
 * Security-critical. This request's session, checked against its record in
 * the database (once per request): a signed-out, revoked or idle session, a
 * ban or a role change takes effect at once, whatever the JWT says. The same
 * check as route handlers (lib/api/authenticate.ts).
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => sessionFromHeaders(await headers()));

/** Where a staff member who must enrol in two-factor is sent; the one page such a session may open. */
export const TWO_FACTOR_SETUP_PATH = "/setup-two-factor";

/**
 * The signed-in user for this request, as the database says now. A staff
 * session that must still enrol in two-factor counts as no user here, so
 * every page and action that asks is closed to it; the enrolment page reads
 * getCurrentSession instead.
 */
export const getCurrentUser = cache(async (): Promise<UserActor | null> => {
  const session = await getCurrentSession();
  return session && !session.twoFactorSetupRequired ? session.actor : null;
});

/** For pages and actions: redirect to sign-in when signed out, and to the enrolment page when two-factor must be set up first. */
export async function requireUser(): Promise<UserActor> {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in");
  if (session.twoFactorSetupRequired) redirect(TWO_FACTOR_SETUP_PATH);
  return session.actor;
}

/** For pages and actions: 403 page unless the policy grants the permission (lib/auth/policy.ts). */
export async function requirePermission(permission: Permission): Promise<UserActor> {
  const user = await requireUser();
  if (!can(user, permission)) forbidden();
  return user;
}
