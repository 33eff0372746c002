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

/** The signed-in user for this request, as the database says now. */
export const getCurrentUser = cache(async (): Promise<UserActor | null> => (await getCurrentSession())?.actor ?? null);

/** For pages and actions: redirect to sign-in when signed out. */
export async function requireUser(): Promise<UserActor> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** For pages and actions: 403 page unless the policy grants the permission (lib/auth/policy.ts). */
export async function requirePermission(permission: Permission): Promise<UserActor> {
  const user = await requireUser();
  if (!can(user, permission)) forbidden();
  return user;
}
