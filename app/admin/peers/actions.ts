"use server";

import { z } from "zod";
import { triggerJob } from "@/lib/jobs/trigger";
import { defineFormAction } from "@/lib/actions/define-action";

/** The job that rotates every due peer; the same one the daily schedule runs. */
const ROTATION_JOB = "rotation";

/** It takes no input (the form's fields are ignored), so a forged form cannot start any other job. */
export const runRotationAction = defineFormAction(
  { auth: "jobs.run", input: z.object({}), revalidate: ["/admin/jobs", "/admin/peers"] },
  ({ actor }) => triggerJob(ROTATION_JOB, actor),
);
