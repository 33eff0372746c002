import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobRuns, type JobRunStatus } from "@/db/schema";
import type { JobCounts, JobRunner, JobTrigger } from "./define";

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
}

type Row = typeof jobRuns.$inferSelect;

const toDto = (r: Row): JobRunDto => ({
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
});

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

/** A finished run is final: only a running row changes, so a late onFailure cannot overwrite a success. */
export async function finishRun(
  id: string,
  result: { status: Exclude<JobRunStatus, "running">; counts?: JobCounts; error?: unknown },
): Promise<void> {
  const db = await getDb();
  await db
    .update(jobRuns)
    .set({
      status: result.status,
      finishedAt: sql`now()`,
      counts: result.counts ?? {},
      error: result.error === undefined || result.error === null ? null : errorText(result.error),
    })
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, "running")));
}

export async function setRunProgress(id: string, done: number, total: number | null, step?: string): Promise<void> {
  const db = await getDb();
  await db
    .update(jobRuns)
    .set({ progress: step === undefined ? { done, total } : { done, total, step } })
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

/**
 * Called by the holder of a job's lock: any other embedded run of that job
 * still marked running cannot be alive (its process stopped mid-run), so it
 * is closed instead of showing "running" forever. The age check spares a
 * manual run that was created a moment ago and is about to take the lock.
 */
export async function failAbandonedRuns(job: string, exceptId: string | undefined): Promise<void> {
  const db = await getDb();
  await db
    .update(jobRuns)
    .set({ status: "failed", finishedAt: sql`now()`, error: "interrupted: the process stopped during the run" })
    .where(
      and(
        eq(jobRuns.job, job),
        eq(jobRuns.status, "running"),
        eq(jobRuns.runner, "embedded"),
        exceptId ? sql`${jobRuns.id} <> ${exceptId}` : undefined,
        sql`${jobRuns.startedAt} < now() - interval '5 minutes'`,
      ),
    );
}
