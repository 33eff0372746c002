import { SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";
import type { RunStatusFilter } from "@/lib/jobs/run-list";

const STATUS_OPTIONS: Record<RunStatusFilter, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed (an error)",
  interrupted: "Interrupted",
};

/**
 * A plain GET form: the filters live in the URL. Runs of the every-minute
 * jobs that found nothing to do are left out unless "Include idle runs" is on.
 */
export function RunFilters({ jobs, job, status, all, quietJobs }: { jobs: string[]; job?: string; status?: string; all: boolean; quietJobs: readonly string[] }) {
  return (
    <form method="get" action="/admin/jobs" role="search" aria-label="Filter runs" className="grid gap-3 sm:grid-cols-[12rem_12rem_1fr_auto] sm:items-end" data-testid="run-filters">
      <SelectField label="Job" name="job" defaultValue={job ?? ""}>
        <option value="">All jobs</option>
        {jobs.map((j) => (
          <option key={j} value={j}>
            {j}
          </option>
        ))}
      </SelectField>
      <SelectField label="Outcome" name="status" defaultValue={status ?? ""}>
        <option value="">Any outcome</option>
        {Object.entries(STATUS_OPTIONS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <label className="flex items-start gap-2 text-sm sm:mb-2">
        <input type="checkbox" name="all" value="1" defaultChecked={all} className="mt-0.5 size-4 accent-sky-600" />
        <span>
          Include idle runs
          <span className="block text-xs text-slate-600 dark:text-slate-400">
            Runs of {quietJobs.join(", ") || "frequent jobs"} that found nothing to do.
          </span>
        </span>
      </label>
      <div className="flex gap-2">
        <Button type="submit">Filter</Button>
        {job || status || all ? (
          <ButtonLink href="/admin/jobs" variant="ghost">
            Clear
          </ButtonLink>
        ) : null}
      </div>
    </form>
  );
}
