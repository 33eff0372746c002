"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { decidePlanRequest } from "@/lib/services/plan-requests";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";

const DecisionFormSchema = z.object({
  id: IdSchema,
  decision: z.enum(["approve", "reject"], { message: "Choose approve or reject" }),
  note: blankAsAbsent(z.string().trim().max(500, "Keep the note under 500 characters")),
});

/**
 * Approve (the account moves to the plan at once, as a plan change in the console does) or reject, with a note
 * the requester sees. Nothing is revalidated (that would re-render this list without the request): the decided
 * request stays in view with its outcome; the pages are rendered per request, so the next visit is current.
 */
export const decidePlanRequestAction = defineFormAction(
  { auth: "plans.manage", input: DecisionFormSchema, values: ["note"], notFound: "This request could not be found." },
  async ({ actor, input }) => {
    const decided = await decidePlanRequest(actor, input.id, input.decision, input.note);
    return { status: decided.status, toPlanName: decided.toPlanName };
  },
);
