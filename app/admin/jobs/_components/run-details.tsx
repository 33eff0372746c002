import type { JobRunDto } from "@/lib/jobs/runs";
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/duration";
import { STOPPED_PREFIX, staleAfterMs } from "@/lib/jobs/runs";

/** JOB_STALE_AFTER_SECONDS in words: "2 minutes", "90 seconds". */
function staleInWords(): string {
  const s = staleAfterMs() / 1000;
  return s % 60 === 0 ? `${s / 60} minute${s === 60 ? "" : "s"}` : `${s} seconds`;
}
import { CountsList } from "./counts-list";

function explainInterruption(error: string): string {
  return error.startsWith(STOPPED_PREFIX)
    ? `the process running it stopped (a crash, a kill or a lost host), and the run was closed once its heartbeat had been silent for ${staleInWords()}.`
    : "the app was shutting down, so the run stopped after the step it was in.";
}

const TONE = { running: "info", succeeded: "success", failed: "danger" } as const;
export const STATUS_LABELS = { running: "Running", succeeded: "Succeeded", failed: "Failed" } as const;

/**
 * An interrupted run is a failed run (the API's statuses stay running,
 * succeeded, failed) whose process stopped under it: nothing is wrong with
 * the job itself, the next run carries on. So it gets its own label, apart
 * from a job that failed with an error.
 */
export function RunStatus({ run }: { run: JobRunDto }) {
  if (run.interrupted) return <Badge tone="warning">Interrupted</Badge>;
  return <Badge tone={TONE[run.status]}>{STATUS_LABELS[run.status]}</Badge>;
}

/** "alive 10 s ago": seconds matter here, since a run is declared interrupted after two minutes of silence. */
export function heartbeatAge(heartbeatAt: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(heartbeatAt)) / 1000));
  return s < 90 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** The last heartbeat of a running run; a silent one is flagged before the sweep closes it. */
export function RunHeartbeat({ run, now }: { run: JobRunDto; now: number }) {
  if (run.status !== "running") return null;
  const silentMs = now - Date.parse(run.heartbeatAt);
  return (
    <span
      data-testid="run-heartbeat"
      title={run.heartbeatAt.replace("T", " ").slice(0, 19) + " UTC"}
      className={silentMs > staleAfterMs() / 2 ? "text-xs text-amber-700 dark:text-amber-400" : "text-xs text-slate-600 dark:text-slate-400"}
    >
      alive {heartbeatAge(run.heartbeatAt, now)}
    </span>
  );
}

export function runDuration(run: JobRunDto): string {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : null;
  return end === null ? "running" : formatDuration(end - Date.parse(run.startedAt));
}

export function RunCounts({ run }: { run: JobRunDto }) {
  return <CountsList job={run.job} counts={run.counts} />;
}

/** Progress of a running run: a bar when the total is known, else the count so far. */
export function RunProgress({ run }: { run: JobRunDto }) {
  const p = run.progress;
  if (run.status !== "running") return <RunCounts run={run} />;
  if (!p) return <span className="text-xs text-slate-600 dark:text-slate-400">starting…</span>;
  return (
    <span className="flex min-w-40 flex-col gap-1 text-xs">
      {p.total ? (
        <progress max={p.total} value={Math.min(p.done, p.total)} className="h-2 w-full accent-sky-600" aria-label={`${run.job} progress`}>
          {p.done} of {p.total}
        </progress>
      ) : null}
      <span>
        {p.done}
        {p.total ? ` of ${p.total}` : " done"}
        {p.step ? ` · ${p.step}` : ""}
      </span>
    </span>
  );
}

export function RunError({ run }: { run: JobRunDto }) {
  if (!run.error) return null;
  if (run.interrupted) {
    return (
      <span data-testid="run-interrupted" className="block max-w-xs whitespace-normal break-words text-xs text-amber-800 dark:text-amber-300">
        Interrupted — the run did not fail on its own: {explainInterruption(run.error)} What it had not reached yet is left for the next
        run.
        <span className="mt-0.5 block font-mono text-slate-500">{run.error}</span>
      </span>
    );
  }
  return <span className="block max-w-xs whitespace-normal break-words text-xs text-red-700 dark:text-red-400">{run.error}</span>;
}
