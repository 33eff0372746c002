"use client";

import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import type { JobRunDto } from "@/lib/jobs/runs";
import { Badge } from "@/components/ui/badge";
import { CountsList } from "./counts-list";

/** How often a running run is asked for (GET /api/admin/jobs/runs/:runId). */
const POLL_MS = 1000;

async function fetchRun(runId: string): Promise<JobRunDto> {
  const res = await fetch(`/api/admin/jobs/runs/${encodeURIComponent(runId)}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) throw new Error(res.status === 404 ? "This run is no longer recorded." : `Could not read the run (HTTP ${res.status}).`);
  return (await res.json()) as JobRunDto;
}

const OUTCOME = {
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
} as const;

/**
 * The run a "Run now" started, followed live: polled every second while it
 * runs (its progress bar and step), then its outcome and counters in words.
 * When it ends, the page's tables are refreshed from the server once.
 */
export function LiveRun({ runId, job }: { runId: string; job: string }) {
  const router = useRouter();
  const { data: run, error } = useQuery({
    queryKey: ["job-run", runId],
    queryFn: () => fetchRun(runId),
    staleTime: 0,
    retry: 2,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : POLL_MS),
    refetchIntervalInBackground: false,
  });
  const finished = !!run && run.status !== "running";
  const refreshed = useRef(false);
  useEffect(() => {
    if (finished && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
  }, [finished, router]);

  const p = run?.progress;
  const outcome = run ? (run.interrupted ? { label: "Interrupted", tone: "warning" as const } : OUTCOME[run.status]) : null;
  return (
    <div role="status" aria-live="polite" data-testid="live-run" data-run-id={runId} data-status={run?.status ?? "starting"} className="mt-1 w-48 space-y-1 text-xs">
      <div className="flex flex-wrap items-center gap-2">
        {outcome ? <Badge tone={outcome.tone}>{outcome.label}</Badge> : <span className="text-slate-600 dark:text-slate-400">Starting…</span>}
        {run && !finished ? <span className="text-slate-600 dark:text-slate-400">updating every second</span> : null}
      </div>
      {run && !finished ? (
        p ? (
          <div className="space-y-1" data-testid="live-run-progress">
            {p.total ? (
              <progress max={p.total} value={Math.min(p.done, p.total)} className="h-2 w-full accent-sky-600" aria-label={`${job} progress`}>
                {p.done} of {p.total}
              </progress>
            ) : null}
            <p>
              {p.done.toLocaleString("en")}
              {p.total ? ` of ${p.total.toLocaleString("en")}` : " done"}
              {p.step ? ` · ${p.step}` : ""}
            </p>
          </div>
        ) : (
          <p className="text-slate-600 dark:text-slate-400">Waiting for its first step…</p>
        )
      ) : null}
      {finished ? <CountsList job={job} counts={run.counts} testId="live-run-counts" /> : null}
      {finished && run.error ? <p className="whitespace-normal break-words text-red-700 dark:text-red-400">{run.error}</p> : null}
      {error ? <p className="text-red-700 dark:text-red-400">{error.message}</p> : null}
    </div>
  );
}
