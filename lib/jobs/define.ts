import "server-only";
import type { log } from "@/lib/log";

/**
 * One definition per job, two runners: Inngest (when configured) and the
 * embedded scheduler. A job only sees this context, so it cannot tell which
 * runner it is on — side effects belong inside `step.run`, because Inngest
 * replays the code between steps.
 */
export type JobTrigger = "schedule" | "manual" | "event";
export type JobRunner = "embedded" | "inngest";
export type JobCounts = Record<string, number>;
export type JobLogger = typeof log;

export interface JobStep {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

export interface JobContext {
  step: JobStep;
  runId: string;
  log: JobLogger;
  /** Writes job_runs.progress so the admin page can show how far a long run is. */
  progress(done: number, total: number | null, stepLabel?: string): Promise<void>;
  trigger: JobTrigger;
}

export interface JobDefinition<N extends string = string> {
  name: N;
  description: string;
  /** Five-field cron, UTC. */
  cron?: string;
  /** An event name that also starts the job (e.g. securewave/email.queued). */
  event?: string;
  run: (ctx: JobContext) => Promise<JobCounts>;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Jobs that an event starts, by job name. Filled as jobs are defined, so the
 * modules that send events (the email outbox, below the services) find their
 * subscribers without importing the job registry, which imports the services.
 * On globalThis because Next loads instrumentation and route handlers as
 * separate module graphs of one process.
 */
const g = globalThis as unknown as { __swEventJobs?: Map<string, JobDefinition> };
const eventJobs = () => (g.__swEventJobs ??= new Map());

export function defineJob<const N extends string>(def: JobDefinition<N>): Readonly<JobDefinition<N>> {
  // Names end up in advisory-lock keys, Inngest function ids and URLs: keep them plain.
  if (!NAME.test(def.name)) throw new Error(`job name "${def.name}" must match ${NAME}`);
  if (def.cron !== undefined && def.cron.trim().split(/\s+/).length !== 5) {
    throw new Error(`job ${def.name}: cron "${def.cron}" must have five fields (Inngest does not take seconds)`);
  }
  const job = Object.freeze({ ...def });
  if (job.event) eventJobs().set(job.name, job);
  return job;
}

export const jobsForEvent = (event: string): JobDefinition[] => [...eventJobs().values()].filter((j) => j.event === event);
