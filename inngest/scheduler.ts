import { Cron } from "croner";
import { isInngestConfigured } from "@/lib/env";
import { executeJob, resumeRuns, startInBackground, stopRuns, trackRun } from "@/lib/jobs/execute";
import { jobs, jobsForEvent } from "@/lib/jobs/registry";
import { log } from "@/lib/log";
import { EVENTS, type EventData, type EventName } from "./events";

/**
 * The embedded runner: without Inngest, the same job definitions run on their
 * cron schedules inside the app process, so the default install works
 * offline. With Inngest configured it stands down — Inngest owns schedules.
 */
const g = globalThis as unknown as { __swScheduler?: Cron[] };

export function startEmbeddedScheduler(): boolean {
  if (isInngestConfigured()) {
    log.info("embedded scheduler not started: Inngest runs the jobs");
    return false;
  }
  // Next may evaluate instrumentation more than once per process; one set of timers only.
  if (g.__swScheduler) return true;
  resumeRuns();
  g.__swScheduler = jobs
    .filter((job) => job.cron)
    .map(
      (job) =>
        new Cron(
          job.cron!,
          // protect: a tick never starts while this process's previous run of the job is still going.
          { timezone: "UTC", protect: true, catch: true },
          async () => {
            await trackRun(executeJob(job, { trigger: "schedule", runner: "embedded" }), { job: job.name });
          },
        ),
    );
  log.info("embedded scheduler started", { jobs: jobs.filter((j) => j.cron).map((j) => `${j.name} (${j.cron})`) });
  return true;
}

/**
 * Graceful shutdown: no new ticks and no new runs; a run in progress finishes
 * the step it is in and is recorded as interrupted, so none is left
 * "running". Answers when no run is left in this process.
 */
export async function stopEmbeddedScheduler(): Promise<void> {
  const crons = g.__swScheduler ?? [];
  g.__swScheduler = undefined;
  for (const c of crons) c.stop();
  await stopRuns();
}

export const isEmbeddedSchedulerRunning = (): boolean => !!g.__swScheduler;

/**
 * Sends an app event. With Inngest it goes to Inngest (which starts the
 * subscribed functions); otherwise the subscribed jobs start here in the
 * background. Validates the payload either way.
 */
export async function dispatchEvent<N extends EventName>(name: N, data: EventData<N>): Promise<void> {
  const event = EVENTS[name].create(data as never);
  await event.validate();
  if (isInngestConfigured()) {
    const { inngest } = await import("./client");
    await inngest.send({ name, data: event.data as Record<string, unknown> });
    return;
  }
  for (const job of jobsForEvent(name)) startInBackground(job, { trigger: "event", runner: "embedded" });
}
