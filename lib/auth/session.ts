import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { auth } from "./auth";
import { loadUserActor } from "@/lib/dal/users";
import type { UserActor } from "./actor";
import type { Role } from "@/db/schema/users";

/**
 * The signed-in user for this request, re-read from the database (once per
 * request) so that a role change or a ban takes effect at once, whatever the
 * JWT says.
 */
export const getCurrentUser = cache(async (): Promise<UserActor | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return loadUserActor(id);
});

/** For pages and actions: redirect to sign-in when signed out. */
export async function requireUser(): Promise<UserActor> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** For pages and actions: 403 page when the role is not allowed. */
export async function requireRole(...roles: Role[]): Promise<UserActor> {
  const user = await requireUser();
  if (!roles.includes(user.role)) forbidden();
  return user;
}
