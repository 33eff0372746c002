import "server-only";
import { cron, NonRetriableError, type InngestFunction } from "inngest";
import type { JobDefinition, JobStep } from "@/lib/jobs/define";
import { jobRunRequested } from "@/lib/jobs/events";
import { executeJob } from "@/lib/jobs/execute";
import { inngest } from "@/lib/jobs/inngest-client";
import { jobs } from "@/lib/jobs/registry";
import { finishRun } from "@/lib/jobs/runs";
import { describeError, log } from "@/lib/log";

const SCHEDULED = "inngest/scheduled.timer";

/**
 * One Inngest function per job definition: its cron, its event, and manual
 * runs requested from the admin page (one shared event, filtered by job name).
 */
export function createJobFunction(job: JobDefinition) {
  const triggers: InngestFunction.Trigger<string>[] = [
    ...(job.cron ? [cron(job.cron)] : []),
    ...(job.event ? [{ event: job.event }] : []),
    { event: jobRunRequested, if: `event.data.job == '${job.name}'` },
  ];
  return inngest.createFunction(
    {
      id: `job-${job.name}`,
      name: `Job: ${job.name}`,
      description: job.description,
      triggers,
      // Across all app instances, like the embedded runner's advisory lock: runs queue, never overlap.
      concurrency: { limit: 1 },
      // Safety net for failures outside the handler's own bookkeeping (a step that
      // never returned, a timeout): close the row. A finished row is left alone.
      onFailure: async ({ event, error }) => {
        const original = event.data.event as { name: string; data?: { runId?: string } };
        const id = original.name === jobRunRequested.name ? original.data?.runId : event.data.run_id;
        if (id) await finishRun(id, { status: "failed", error });
        log.error("inngest job failed", { job: job.name, runId: id, ...describeError(error) });
      },
    },
    async ({ event, step, runId }) => {
      const eventName: string = event.name;
      const manual = eventName === jobRunRequested.name;
      const inngestStep: JobStep = { run: (id, fn) => step.run(id, fn) as Promise<never> };
      const run = await executeJob(job, {
        trigger: manual ? "manual" : eventName === SCHEDULED ? "schedule" : "event",
        runner: "inngest",
        runId: manual ? (event.data as { runId: string }).runId : undefined,
        // The row's id is Inngest's run id, so onFailure can find it without any state.
        newRunId: runId,
        step: inngestStep,
      });
      // The run is recorded as failed already; fail the Inngest run too, without retrying a finished run.
      if (run?.status === "failed") throw new NonRetriableError(run.error ?? "job failed");
      return run;
    },
  );
}

export const functions = jobs.map(createJobFunction);
export const getJobFunction = (name: string) => functions.find((f) => f.opts.id === `job-${name}`);
