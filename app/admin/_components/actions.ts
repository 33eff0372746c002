"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/session";
import { triggerJob } from "@/lib/jobs/trigger";
import type { ActionResult } from "@/components/forms/action-result";
import { actionFailure } from "@/components/forms/action-error";

/** The jobs that fill the dashboard: per-user rollups (top users) and the system snapshot (everything else). */
const DASHBOARD_JOBS = ["rollup", "metrics"] as const;

/** "Collect now" on an empty dashboard: starts both jobs in the background; their runs show at /admin/jobs. */
export async function collectMetricsNowAction(): Promise<ActionResult<{ runIds: string[] }>> {
  const admin = await requireRole("admin");
  try {
    const runIds: string[] = [];
    for (const job of DASHBOARD_JOBS) runIds.push((await triggerJob(job, admin)).runId);
    revalidatePath("/admin");
    revalidatePath("/admin/jobs");
    return { ok: true, data: { runIds } };
  } catch (err) {
    return actionFailure(err);
  }
}
