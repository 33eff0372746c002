"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { getCurrentSession } from "@/lib/auth/session";
import { revokeOtherSessions, revokeSession } from "@/lib/services/sessions";
import { IdSchema } from "@/lib/validation/ids";

const SETTINGS = ["/settings"] as const;

/** Signs one of the caller's other browsers out. */
export const revokeSessionAction = defineFormAction(
  { auth: "user", input: z.object({ id: IdSchema }), notFound: "This session has already ended.", revalidate: SETTINGS },
  async ({ actor, input, ip }) => {
    await revokeSession(actor, input.id, ip);
    return null;
  },
);

/** "Sign out everywhere else": every session of the caller but this browser's. */
export const revokeOtherSessionsAction = defineFormAction({ auth: "user", input: z.object({}), revalidate: SETTINGS }, async ({ actor, ip }) => {
  const current = await getCurrentSession();
  return revokeOtherSessions(actor, current?.sessionId ?? null, ip);
});
