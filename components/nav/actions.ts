"use server";

import { z } from "zod";
import { signOut } from "@/lib/auth/auth";
import { getCurrentSession } from "@/lib/auth/session";
import { defineFormAction } from "@/lib/actions/define-action";
import { endSignedOutSession } from "@/lib/services/sessions";

/**
 * Security-critical: signing out ends the session record first, so a copy of
 * the cookie taken before stops working everywhere; then Auth.js clears the
 * cookie and redirects. Public: a browser whose session already ended may
 * still clear its cookie.
 */
export const signOutAction = defineFormAction({ auth: "public", input: z.object({}) }, async ({ ip }) => {
  const session = await getCurrentSession();
  if (session) await endSignedOutSession({ userId: session.actor.id, sessionId: session.sessionId }, ip);
  await signOut({ redirectTo: "/sign-in" });
  return null;
});
