import "server-only";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { isInngestConfigured } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { startInBackground } from "./execute";
import { getJob } from "./registry";
import { createRun, finishRun } from "./runs";

/**
 * "Run now" from the admin page / POST /api/admin/jobs/:name/run (202 {runId}).
 * The run row exists before this returns, so the caller can poll it at once;
 * the work itself happens on Inngest or in the background here.
 */
export async function triggerJob(name: string, actor: Actor): Promise<{ runId: string }> {
  authorize(actor, "jobs.run");
  const job = getJob(name);
  if (!job) throw notFound("Job");
  const onInngest = isInngestConfigured();
  const runId = await createRun(job.name, "manual", onInngest ? "inngest" : "embedded");
  await recordAudit(await getDb(), actor, "job.triggered", { type: "job", id: job.name }, { runId });

  if (!onInngest) {
    startInBackground(job, { trigger: "manual", runner: "embedded", runId });
    return { runId };
  }
  try {
    const [{ inngest }, { jobRunRequested }] = await Promise.all([import("./inngest-client"), import("./events")]);
    await inngest.send(jobRunRequested.create({ job: job.name, runId }));
  } catch (err) {
    await finishRun(runId, { status: "failed", error: "could not reach Inngest" });
    log.error("job trigger: sending to Inngest failed", { job: job.name, runId, ...describeError(err) });
    throw new AppError("unavailable", "The job runner is unavailable; try again later");
  }
  return { runId };
}
