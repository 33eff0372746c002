import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { liftThrottle, throttleUser } from "@/lib/services/throttle";
import { ThrottleSchema } from "@/lib/validation/abuse-mitigation";

/**
 * POST /api/admin/users/:id/throttle {rateKbit, hours, reason?, incidentId?} → 201 {until, id, rateKbit, startsAt, …}:
 * every device of the user limited to rateKbit kbit/s each way, replacing any throttle in force.
 */
export const POST = withApi({ auth: "admin", body: ThrottleSchema }, async ({ actor, params, body }) =>
  NextResponse.json(await throttleUser(actor, params.id!, body), { status: 201 }),
);

/** DELETE /api/admin/users/:id/throttle → 204: the throttle ends now (nothing to do without one). */
export const DELETE = withApi({ auth: "admin" }, async ({ actor, params }) => {
  await liftThrottle(actor, params.id!);
  return new Response(null, { status: 204 });
});
