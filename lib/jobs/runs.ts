import "server-only";
import { and, desc, eq, like, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobRuns, type JobRunStatus } from "@/db/schema";
import { log } from "@/lib/log";
import { getEnv } from "@/lib/env";
import { observeJobRun } from "@/lib/metrics/registry";
import type { JobCounts, JobRunner, JobTrigger } from "./define";

/**
 * Liveness of a run. The process running it moves `heartbeat_at` every
 * HEARTBEAT_MS (and on every step and progress update); a process killed
 * mid-run (SIGKILL, OOM, a lost host) cannot close its own row, so a running
 * row whose heartbeat is older than STALE_AFTER_MS is closed by the sweep as
 * failed, "interrupted". The limit is several beats, so one slow write or a
 * busy event loop does not close a live run, and short enough that a crash
 * shows within minutes. Both constants live here only.
 */
export const HEARTBEAT_MS = 15_000;
/** The default of JOB_STALE_AFTER_SECONDS. */
export const STALE_AFTER_MS = 2 * 60_000;
/** How long a run's heartbeat may be silent before the sweep closes it as interrupted (JOB_STALE_AFTER_SECONDS). */
export const staleAfterMs = () => getEnv().JOB_STALE_AFTER_SECONDS * 1000;

/** The error of a run closed by the sweep starts with this; every interrupted run's error starts with "interrupted:". */
export const STOPPED_PREFIX = "interrupted: the process running it stopped";

/** job_runs bookkeeping shared by both runners, the admin jobs page and API. */
export interface JobRunDto {
  id: string;
  job: string;
  status: JobRunStatus;
  startedAt: string;
  finishedAt: string | null;
  counts: JobCounts;
  error: string | null;
  progress: { done: number; total: number | null; step?: string } | null;
  trigger: JobTrigger;
  runner: JobRunner;
  /** Last sign of life from the process running it (for a finished run: its last one before it ended). */
  heartbeatAt: string;
  /** Failed because the run was cut short (its process stopped or was shutting down), not because the job threw. */
  interrupted: boolean;
}

type Row = typeof jobRuns.$inferSelect;

/** A job_runs row as the pages and the API show it (also used by lib/jobs/run-list.ts). */
export const toDto = (r: Row): JobRunDto => ({
  id: r.id,
  job: r.job,
  status: r.status,
  counts: r.counts,
  error: r.error,
  trigger: r.trigger,
  runner: r.runner,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
  progress: r.progress ?? null,
  heartbeatAt: r.heartbeatAt.toISOString(),
  interrupted: isInterruptedError(r.status, r.error),
});

export const isInterruptedError = (status: JobRunStatus, error: string | null): boolean =>
  status === "failed" && !!error && error.startsWith("interrupted:");

/**
 * Error text shown to admins: the message only, short. Drizzle wraps driver
 * errors as "Failed query: <sql> params: <values>", and the values may be
 * addresses or secrets, so unwrap to the driver's own message.
 */
export function errorText(err: unknown): string {
  let e = err;
  if (e instanceof Error && e.message.startsWith("Failed query:")) e = e.cause ?? new Error("database query failed");
  const msg = e instanceof Error ? e.message || e.name : typeof e === "string" ? e : "unknown error";
  return msg.length > 500 ? `${msg.slice(0, 499)}…` : msg;
}

/** `id` lets the Inngest runner reuse its own run id, so onFailure can find the row; a replay inserts nothing twice. */
export async function createRun(name: string, trigger: JobTrigger, runner: JobRunner, opts: { id?: string } = {}): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .insert(jobRuns)
    .values({ job: name, trigger, runner, ...(opts.id ? { id: opts.id } : {}) })
    .onConflictDoNothing({ target: jobRuns.id })
    .returning({ id: jobRuns.id });
  return row?.id ?? opts.id!;
}

/**
 * A finished run is final: only a running row changes, so a late onFailure
 * cannot overwrite a success. The one exception is a row the sweep closed for
 * silence: if its process was only stalled (or Inngest retried the step
 * elsewhere after a long backoff), the run's real outcome replaces the guess.
 */
export async function finishRun(
  id: string,
  result: { status: Exclude<JobRunStatus, "running">; counts?: JobCounts; error?: unknown },
): Promise<void> {
  const db = await getDb();
  const error = result.error === undefined || result.error === null ? null : errorText(result.error);
  const [finished] = await db
    .update(jobRuns)
    .set({
      status: result.status,
      finishedAt: sql`now()`,
      counts: result.counts ?? {},
      error,
      heartbeatAt: sql`now()`,
    })
    .where(and(eq(jobRuns.id, id), or(eq(jobRuns.status, "running"), like(jobRuns.error, `${STOPPED_PREFIX}%`))))
    .returning({ job: jobRuns.job, seconds: sql<unknown>`extract(epoch from ${jobRuns.finishedAt} - ${jobRuns.startedAt})` });
  // Only the update that finished the run observes it: a replayed step or a late onFailure changes no row.
  if (finished) {
    const outcome = isInterruptedError(result.status, error) ? "interrupted" : result.status;
    observeJobRun(finished.job, outcome, Math.max(0, Number(finished.seconds) || 0));
  }
}

export async function setRunProgress(id: string, done: number, total: number | null, step?: string): Promise<void> {
  const db = await getDb();
  await db
    .update(jobRuns)
    .set({ progress: step === undefined ? { done, total } : { done, total, step }, heartbeatAt: sql`now()` })
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, "running")));
}

export async function getRun(id: string): Promise<JobRunDto | null> {
  const db = await getDb();
  const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, id)).limit(1);
  return row ? toDto(row) : null;
}

export async function listRuns(opts: { job?: string; limit?: number } = {}): Promise<JobRunDto[]> {
  const db = await getDb();
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200);
  const found = await db
    .select()
    .from(jobRuns)
    .where(opts.job ? eq(jobRuns.job, opts.job) : undefined)
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(limit);
  return found.map((r) => toDto(r));
}

/** The latest run of every job that has run, in one query (DISTINCT ON over the (job, started_at) index). */
export async function lastRunsByJob(): Promise<Record<string, JobRunDto>> {
  const db = await getDb();
  const found = await db
    .selectDistinctOn([jobRuns.job])
    .from(jobRuns)
    .orderBy(jobRuns.job, desc(jobRuns.startedAt), desc(jobRuns.id));
  return Object.fromEntries(found.map((r) => [r.job, toDto(r)]));
}

/** One beat: the run's process is alive. Only a running row moves. */
export async function touchRun(id: string): Promise<void> {
  const db = await getDb();
  await db
    .update(jobRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, "running")));
}

/**
 * Beats every `everyMs` until the returned stop is called (in a finally).
 * The timer is unref'd so it never keeps a process alive, and a beat never
 * overlaps the previous one; a failed beat is logged and the next one tries
 * again (the stale limit spans several beats).
 */
export function keepRunAlive(id: string, everyMs = HEARTBEAT_MS): () => void {
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    touchRun(id)
      .catch((err) => log.warn("job heartbeat failed", { runId: id, error: errorText(err) }))
      .finally(() => (beating = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Closes every running run whose heartbeat is older than staleAfterMs(), in
 * one statement, as failed with an error that says it was interrupted and
 * since when it was silent. `now` defaults to the database's clock (the one
 * heartbeats are written with); tests pass a later instant. Answers how many
 * runs were closed. Run by every instance's embedded scheduler at start-up
 * and every minute, and by the telemetry job (so Inngest deployments sweep too).
 */
export async function sweepInterruptedRuns(now?: Date): Promise<number> {
  const db = await getDb();
  const at = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  const closed = await db
    .update(jobRuns)
    .set({
      status: "failed",
      finishedAt: sql`now()`,
      error: sql`${STOPPED_PREFIX}::text || ' (no heartbeat since ' || to_char(${jobRuns.heartbeatAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'`,
    })
    .where(
      and(
        eq(jobRuns.status, "running"),
        sql`${jobRuns.heartbeatAt} < ${at} - make_interval(secs => ${staleAfterMs() / 1000})`,
      ),
    )
    .returning({ id: jobRuns.id, job: jobRuns.job });
  if (closed.length) log.warn("job runs closed as interrupted: no heartbeat", { runs: closed.map((r) => `${r.job} ${r.id}`) });
  return closed.length;
}
