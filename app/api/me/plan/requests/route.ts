import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { listMyPlanRequests } from "@/lib/dal/plans";
import { cancelPlanChangeRequest, requestPlanChange } from "@/lib/services/plan-requests";
import { PlanRequestSchema } from "@/lib/validation/plans";

/** GET /api/me/plan/requests → {items, nextCursor}: the caller's latest plan change requests, newest first. */
export const GET = withApi({ auth: "user" }, async ({ actor }) => ({ items: await listMyPlanRequests(actor), nextCursor: null }));

/** POST /api/me/plan/requests {planId} → 201 request (pending); 409 while another one is pending or on that plan already. */
export const POST = withApi({ auth: "user", body: PlanRequestSchema }, async ({ actor, body }) =>
  NextResponse.json(await requestPlanChange(actor, body.planId), { status: 201 }),
);

/** DELETE /api/me/plan/requests → 204: withdraws the pending request, if any. */
export const DELETE = withApi({ auth: "user" }, async ({ actor }) => {
  await cancelPlanChangeRequest(actor);
  return new Response(null, { status: 204 });
});
