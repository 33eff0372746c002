"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { cancelPlanChangeRequest, requestPlanChange } from "@/lib/services/plan-requests";
import { PlanRequestSchema } from "@/lib/validation/plans";

const PLAN_PAGE = ["/plan"] as const;

/** "Request this plan": a request for an administrator to decide (one pending at a time, checked by the service). */
export const requestPlanChangeAction = defineFormAction({ auth: "user", input: PlanRequestSchema, revalidate: PLAN_PAGE }, async ({ actor, input }) => {
  const request = await requestPlanChange(actor, input.planId);
  return { toPlanName: request.toPlanName };
});

/** Withdraws the pending request. */
export const cancelPlanChangeAction = defineFormAction({ auth: "user", input: z.object({}), revalidate: PLAN_PAGE }, async ({ actor }) => {
  await cancelPlanChangeRequest(actor);
  return null;
});
