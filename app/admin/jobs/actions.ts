"use server";

import { z } from "zod";
import { triggerJob } from "@/lib/jobs/trigger";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

/** "Run now": the form's `id` is the job's name; an unknown one is refused like a missing row. */
export const triggerJobAction = defineFormAction(
  { auth: "jobs.run", input: z.object({ id: IdSchema }), notFound: "Unknown job.", revalidate: ["/admin/jobs"] },
  ({ actor, input }) => triggerJob(input.id, actor),
);
