import "server-only";
import { describeError, log } from "@/lib/log";
import type { JobContext, JobDefinition, JobLogger, JobRunner, JobStep, JobTrigger } from "./define";
import { tryJobLock, type JobLock } from "./lock";
import { createRun, finishRun, getRun, HEARTBEAT_MS, keepRunAlive, setRunProgress, sweepInterruptedRuns, touchRun, type JobRunDto } from "./runs";

export interface ExecuteOptions {
  trigger: JobTrigger;
  runner: JobRunner;
  /** An existing run row (manual triggers create it before answering 202). */
  runId?: string;
  /** Inngest's step tools; the embedded runner uses a memoising one. */
  step?: JobStep;
  /** Id for a new run row; the Inngest runner passes its own run id. */
  newRunId?: string;
  /** How often the run's heartbeat moves; tests beat faster than HEARTBEAT_MS. */
  heartbeatMs?: number;
}

/**
 * Within one embedded run a step id runs once, like Inngest's memoised steps.
 * Results go through JSON as on Inngest, so a job that returns a Date from a
 * step breaks here too, not only in production.
 */
export function embeddedStep(): JobStep {
  const done = new Map<string, Promise<unknown>>();
  return {
    run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (!done.has(id)) done.set(id, fn().then((v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)))));
      return done.get(id) as Promise<T>;
    },
  };
}

function scopedLog(job: string, runId: string): JobLogger {
  const scope = (fn: (m: string, f?: Record<string, unknown>) => void) => (m: string, f?: Record<string, unknown>) =>
    fn(m, { job, runId, ...f });
  return { debug: scope(log.debug), info: scope(log.info), warn: scope(log.warn), error: scope(log.error) };
}

const INTERRUPTED = "interrupted: the server stopped between two steps; the next run carries on";
class RunInterrupted extends Error {
  constructor() {
    super(INTERRUPTED);
  }
}

const g = globalThis as unknown as { __swJobsInFlight?: Set<Promise<unknown>>; __swJobsStopped?: boolean };
const runsStopped = () => !!g.__swJobsStopped;

/** Once runs are stopped, a job's next step does not start: the run ends there, recorded as interrupted. */
function stoppingBetweenSteps(step: JobStep): JobStep {
  return { run: (id, fn) => (runsStopped() ? Promise.reject(new RunInterrupted()) : step.run(id, fn)) };
}

/**
 * On Inngest a run is a series of step requests, possibly on different
 * instances, and the code between steps may be abandoned without a finally
 * ever running; so the heartbeat there lives inside each step: one beat as
 * it starts, then a timer for as long as it runs, stopped when it ends.
 */
function beatingSteps(step: JobStep, runId: string, everyMs: number): JobStep {
  return {
    run: (id, fn) =>
      step.run(id, async () => {
        const stop = keepRunAlive(runId, everyMs);
        try {
          await touchRun(runId).catch(() => {});
          return await fn();
        } finally {
          stop();
        }
      }),
  };
}

// Inngest limits a function to one run at a time itself, and a session lock cannot span its step requests.
const NO_LOCK: JobLock = { release: async () => {} };

/**
 * Runs a job once and records it in job_runs. Answers the finished run, or
 * null when a scheduled/event run was skipped because another process holds
 * the job's lock or this one is stopping (a manual run is then recorded as
 * failed, "already running" or interrupted).
 */
export async function executeJob(job: JobDefinition, opts: ExecuteOptions): Promise<JobRunDto | null> {
  const embedded = opts.runner === "embedded";
  const stopped = embedded && runsStopped();
  const lock = !embedded ? NO_LOCK : stopped ? null : await tryJobLock(job.name);
  if (!lock) {
    const reason = stopped ? INTERRUPTED : "already running";
    if (!opts.runId) {
      log.debug("job skipped", { job: job.name, trigger: opts.trigger, reason });
      return null;
    }
    await finishRun(opts.runId, { status: "failed", error: reason });
    return getRun(opts.runId);
  }
  try {
    // Runs of crashed processes are closed before this one starts, so the page never shows two "running".
    if (embedded) await sweepInterruptedRuns();
    const step = opts.step ?? embeddedStep();
    const runId =
      opts.runId ?? (await step.run("job-run-create", () => createRun(job.name, opts.trigger, opts.runner, { id: opts.newRunId })));
    const everyMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    // Embedded: this call runs the whole job to its end, so one timer for the run, stopped below.
    const stopBeating = embedded ? keepRunAlive(runId, everyMs) : () => {};
    const ctx: JobContext = {
      step: embedded ? stoppingBetweenSteps(step) : beatingSteps(step, runId, everyMs),
      runId,
      trigger: opts.trigger,
      log: scopedLog(job.name, runId),
      progress: (done, total, label) => setRunProgress(runId, done, total, label),
    };
    try {
      const counts = await job.run(ctx);
      await step.run("job-run-succeeded", () => finishRun(runId, { status: "succeeded", counts }));
    } catch (err) {
      if (err instanceof RunInterrupted) ctx.log.info("job interrupted: the server is stopping");
      else ctx.log.error("job failed", describeError(err));
      await step.run("job-run-failed", () => finishRun(runId, { status: "failed", error: err }));
    } finally {
      stopBeating();
    }
    return getRun(runId);
  } finally {
    await lock.release();
  }
}

const inFlight = () => (g.__swJobsInFlight ??= new Set());

/** Tracks a run so a graceful shutdown can wait for it; never rejects. */
export function trackRun<T>(work: Promise<T>, what: Record<string, unknown>): Promise<T | undefined> {
  const p = work.catch((err) => {
    log.error("background job failed", { ...what, ...describeError(err) });
    return undefined;
  });
  inFlight().add(p);
  void p.finally(() => inFlight().delete(p));
  return p;
}

/** Starts a run in this process without waiting for it (manual and event runs of the embedded runner). */
export function startInBackground(job: JobDefinition, opts: ExecuteOptions): void {
  void trackRun(executeJob(job, opts), { job: job.name, trigger: opts.trigger });
}

export async function waitForInFlightRuns(): Promise<void> {
  while (inFlight().size) await Promise.allSettled([...inFlight()]);
}

/**
 * Shutdown of the embedded runner: no run starts in this process any more,
 * and a run in progress stops after the step it is in (which finishes and is
 * recorded). Answers when no run is left.
 */
export async function stopRuns(): Promise<void> {
  g.__swJobsStopped = true;
  await waitForInFlightRuns();
}

/** Runs may start again (the embedded scheduler starting anew). */
export function resumeRuns(): void {
  g.__swJobsStopped = false;
}
