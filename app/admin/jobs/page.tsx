import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { jobs } from "@/lib/jobs/registry";
import { lastRunsByJob } from "@/lib/jobs/runs";
import { listRunsPage, RUN_STATUS_FILTERS, type RunStatusFilter } from "@/lib/jobs/run-list";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { AutoRefresh } from "./_components/auto-refresh";
import { RunNowButton } from "./_components/run-now-button";
import { RunCounts, RunError, RunHeartbeat, RunProgress, RunStatus, runDuration } from "./_components/run-details";
import { RunFilters } from "./_components/run-filters";
import { describeCron } from "./_components/schedule";

export const metadata: Metadata = { title: "Jobs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

/** Jobs scheduled every minute: their runs that found nothing to do are hidden unless asked for. */
const QUIET_JOBS = jobs.filter((j) => j.cron?.trim() === "* * * * *").map((j) => j.name);
const JOB_NAMES = jobs.map((j) => j.name);

interface Filters {
  job?: string;
  status?: RunStatusFilter;
  all: boolean;
  cursor?: string;
}

function readFilters(sp: Record<string, string | string[] | undefined>): Filters {
  return {
    job: JOB_NAMES.find((j) => j === one(sp.job)),
    status: RUN_STATUS_FILTERS.find((s) => s === one(sp.status)),
    all: one(sp.all) === "1",
    cursor: one(sp.cursor),
  };
}

const filterParams = (f: Filters) => ({ job: f.job, status: f.status, all: f.all ? "1" : undefined });

/** The runs, and `renderedAt`, which anchors "alive 10 s ago" for the whole page. */
async function loadJobsPage(f: Filters) {
  try {
    const [last, runs] = await Promise.all([
      lastRunsByJob(),
      listRunsPage({ job: f.job, status: f.status, hideEmptyOf: f.all ? [] : QUIET_JOBS, cursor: f.cursor, limit: 30 }),
    ]);
    return { last, runs, renderedAt: Date.now() };
  } catch (err) {
    // A mangled page link: the first page with the same filters.
    if (err instanceof AppError && err.code === "validation_error" && f.cursor) {
      const keep = new URLSearchParams(Object.entries(filterParams(f)).filter((e): e is [string, string] => !!e[1]));
      redirect(`/admin/jobs${keep.size ? `?${keep}` : ""}`);
    }
    throw err;
  }
}

export default async function JobsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("jobs.run");
  const filters = readFilters(await searchParams);
  const { last, runs, renderedAt } = await loadJobsPage(filters);
  const anyRunning = runs.items.some((r) => r.status === "running") || Object.values(last).some((r) => r.status === "running");
  const filtered = !!(filters.job || filters.status);

  return (
    <>
      <PageHeader title="Jobs" description="Background workflows, their schedules and recent runs." actions={<AutoRefresh active={anyRunning} />} />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Workflows" description="Run now follows the run here as it goes, and shows what it did when it ends." />
          <Table label="Jobs">
            <thead>
              <tr>
                <Th>Job</Th>
                <Th>Schedule</Th>
                <Th>Last run</Th>
                <Th>Result</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => {
                const run = last[job.name];
                return (
                  <tr key={job.name} data-testid="job-row" data-job={job.name}>
                    <Td>
                      <div className="font-medium">{job.name}</div>
                      <div className="max-w-56 whitespace-normal text-xs text-slate-600 dark:text-slate-400">{job.description}</div>
                    </Td>
                    <Td>
                      <div>{describeCron(job.cron)}</div>
                      {job.cron ? <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{job.cron}</code> : null}
                    </Td>
                    <Td>
                      {run ? (
                        <div className="flex flex-col items-start gap-1">
                          <RunStatus run={run} />
                          <DateTime value={run.startedAt} />
                          <span className="text-xs text-slate-600 dark:text-slate-400">{run.finishedAt ? `took ${runDuration(run)}` : null}</span>
                          <RunHeartbeat run={run} now={renderedAt} />
                        </div>
                      ) : (
                        <span className="text-slate-600 dark:text-slate-400">Never run</span>
                      )}
                    </Td>
                    <Td>
                      {run ? (
                        <>
                          <RunProgress run={run} />
                          <RunError run={run} />
                        </>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td>
                      <RunNowButton job={job.name} />
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </Card>
        <Card>
          <CardHeader
            title="Recent runs"
            description={
              filters.all
                ? "Every run, newest first."
                : `Newest first. Runs of ${QUIET_JOBS.join(", ")} that found nothing to do are left out: tick “Include idle runs” to see them.`
            }
          />
          <CardBody className="border-b border-slate-200 dark:border-slate-800">
            <RunFilters jobs={JOB_NAMES} job={filters.job} status={filters.status} all={filters.all} quietJobs={QUIET_JOBS} />
          </CardBody>
          {runs.items.length === 0 ? (
            <EmptyState title="No runs found">
              {filtered || filters.cursor
                ? "No run matches these filters."
                : filters.all
                  ? "Runs appear here when a schedule fires or you press Run now."
                  : `No run has done anything yet. Runs of ${QUIET_JOBS.join(", ")} that found nothing to do are left out: tick “Include idle runs” to see them.`}
            </EmptyState>
          ) : (
            <Table label="Recent job runs">
              <thead>
                <tr>
                  <Th>Job</Th>
                  <Th>Status</Th>
                  <Th>Trigger</Th>
                  <Th>Started</Th>
                  <Th>Duration</Th>
                  <Th>Progress / counts</Th>
                  <Th>Error</Th>
                </tr>
              </thead>
              <tbody>
                {runs.items.map((run) => (
                  <tr key={run.id} data-testid="run-row" data-job={run.job} data-status={run.status} data-interrupted={run.interrupted || undefined}>
                    <Td className="font-medium">{run.job}</Td>
                    <Td>
                      <div className="flex flex-col items-start gap-1">
                        <RunStatus run={run} />
                        <RunHeartbeat run={run} now={renderedAt} />
                      </div>
                    </Td>
                    <Td>
                      {run.trigger}
                      <span className="text-xs text-slate-600 dark:text-slate-400"> · {run.runner}</span>
                    </Td>
                    <Td>
                      <DateTime value={run.startedAt} />
                    </Td>
                    <Td>{runDuration(run)}</Td>
                    <Td>{run.status === "running" ? <RunProgress run={run} /> : <RunCounts run={run} />}</Td>
                    <Td>
                      <RunError run={run} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <Pagination basePath="/admin/jobs" params={filterParams(filters)} nextCursor={runs.nextCursor} hasCursor={!!filters.cursor} />
        </Card>
      </div>
    </>
  );
}
