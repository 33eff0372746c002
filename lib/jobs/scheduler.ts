import "server-only";
import { Cron } from "croner";
import { isInngestConfigured } from "@/lib/env";
import { log } from "@/lib/log";
import { executeJob, resumeRuns, stopRuns, trackRun } from "./execute";
import { sweepInterruptedRuns } from "./runs";
import { jobs } from "./registry";

/**
 * The embedded runner: without Inngest, the same job definitions run on their
 * cron schedules inside the app process, so the default install works
 * offline. With Inngest configured it stands down — Inngest owns schedules.
 */
const g = globalThis as unknown as { __swScheduler?: Cron[]; __swRunSweep?: Cron };

/** Tracked like a run, so a shutdown waits for a sweep in progress before the database closes. */
const sweep = () => trackRun(sweepInterruptedRuns(), { job: "(interrupted-runs sweep)" });

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
  // Runs left "running" by a process that died (this one's previous life, or
  // another instance) are closed at start-up and then every minute, by every
  // instance: the sweep is one idempotent statement, so instances need no lock.
  void sweep();
  g.__swRunSweep = new Cron("* * * * *", { timezone: "UTC", protect: true, catch: true }, async () => {
    await sweep();
  });
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
  g.__swRunSweep?.stop();
  g.__swRunSweep = undefined;
  await stopRuns();
}

export const isEmbeddedSchedulerRunning = (): boolean => !!g.__swScheduler;
