"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { triggerJob } from "@/lib/jobs/trigger";
import type { ActionResult, ActionState } from "@/components/forms/action-result";
import { actionFailure } from "@/components/forms/action-error";

const TriggerJobSchema = z.object({ job: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) });

export async function triggerJobAction(_prev: ActionState<{ runId: string }>, form: FormData): Promise<ActionResult<{ runId: string }>> {
  const parsed = TriggerJobSchema.safeParse({ job: form.get("job") });
  if (!parsed.success) return { ok: false, formError: "Unknown job." };
  const admin = await requireRole("admin");
  try {
    const { runId } = await triggerJob(parsed.data.job, admin);
    revalidatePath("/admin/jobs");
    return { ok: true, data: { runId } };
  } catch (err) {
    return actionFailure(err);
  }
}
