import type { JobRunDto } from "@/lib/jobs/runs";
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/date-time";

const TONE = { running: "info", succeeded: "success", failed: "danger" } as const;

export function RunStatus({ run }: { run: JobRunDto }) {
  return <Badge tone={TONE[run.status]}>{run.status}</Badge>;
}

export function runDuration(run: JobRunDto): string {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : null;
  return end === null ? "running" : formatDuration(end - Date.parse(run.startedAt));
}

export function RunCounts({ run }: { run: JobRunDto }) {
  const entries = Object.entries(run.counts ?? {});
  if (!entries.length) return <span className="text-slate-500">—</span>;
  return (
    <span className="block max-w-52 whitespace-normal font-mono text-xs">
      {entries.map(([k, v]) => `${k} ${v}`).join(" · ")}
    </span>
  );
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
  return <span className="block max-w-xs whitespace-normal break-words text-xs text-red-700 dark:text-red-400">{run.error}</span>;
}
