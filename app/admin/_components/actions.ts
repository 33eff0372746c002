"use server";

import { z } from "zod";
import { triggerJob } from "@/lib/jobs/trigger";
import { defineFormAction } from "@/lib/actions/define-action";

/** The jobs that fill the dashboard: per-user rollups (top users) and the system snapshot (everything else). */
const DASHBOARD_JOBS = ["rollup", "metrics"] as const;

/** "Collect now" on an empty dashboard: starts both jobs in the background; their runs show at /admin/jobs. It takes no input, so a forged form cannot start any other job. */
export const collectMetricsNowAction = defineFormAction(
  { auth: "jobs.run", input: z.object({}), revalidate: ["/admin", "/admin/jobs"] },
  async ({ actor }) => {
    const runIds: string[] = [];
    for (const job of DASHBOARD_JOBS) runIds.push((await triggerJob(job, actor)).runId);
    return { runIds };
  },
);
