"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/session";
import { triggerJob } from "@/lib/jobs/trigger";
import type { ActionResult } from "@/components/forms/action-result";
import { actionFailure } from "@/components/forms/action-error";

/** The job that rotates every due peer; the same one the daily schedule runs. */
const ROTATION_JOB = "rotation";

/**
 * For useActionState. It takes no input (the previous state and the form are
 * ignored), so a forged form cannot start any other job.
 */
export async function runRotationAction(): Promise<ActionResult<{ runId: string }>> {
  const admin = await requireRole("admin");
  try {
    const { runId } = await triggerJob(ROTATION_JOB, admin);
    revalidatePath("/admin/jobs");
    revalidatePath("/admin/peers");
    return { ok: true, data: { runId } };
  } catch (err) {
    return actionFailure(err);
  }
}
