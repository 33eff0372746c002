import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { jobs } from "@/lib/jobs/registry";
import { lastRunsByJob, listRuns } from "@/lib/jobs/runs";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { AutoRefresh } from "./_components/auto-refresh";
import { RunNowButton } from "./_components/run-now-button";
import { RunCounts, RunError, RunHeartbeat, RunProgress, RunStatus, runDuration } from "./_components/run-details";
import { describeCron } from "./_components/schedule";

export const metadata: Metadata = { title: "Jobs" };

/** The runs, and `renderedAt`, which anchors "alive 10 s ago" for the whole page. */
async function loadJobsPage() {
  const [last, runs] = await Promise.all([lastRunsByJob(), listRuns({ limit: 30 })]);
  return { last, runs, renderedAt: Date.now() };
}

export default async function JobsPage() {
  await requirePermission("jobs.run");
  const { last, runs, renderedAt } = await loadJobsPage();
  const anyRunning = runs.some((r) => r.status === "running") || Object.values(last).some((r) => r.status === "running");

  return (
    <>
      <PageHeader title="Jobs" description="Background workflows, their schedules and recent runs." actions={<AutoRefresh active={anyRunning} />} />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Workflows" />
          <Table label="Jobs">
            <thead>
              <tr>
                <Th>Job</Th>
                <Th>Schedule</Th>
                <Th>Last run</Th>
                <Th>Duration</Th>
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
                      <div className="max-w-60 whitespace-normal text-xs text-slate-600 dark:text-slate-400">{job.description}</div>
                    </Td>
                    <Td>
                      <div>{describeCron(job.cron)}</div>
                      {job.cron ? <code className="font-mono text-xs text-slate-500">{job.cron}</code> : null}
                    </Td>
                    <Td>
                      {run ? (
                        <div className="flex flex-col items-start gap-1">
                          <RunStatus run={run} />
                          <DateTime value={run.startedAt} />
                          <RunHeartbeat run={run} now={renderedAt} />
                        </div>
                      ) : (
                        <span className="text-slate-500">Never run</span>
                      )}
                    </Td>
                    <Td>{run ? runDuration(run) : "—"}</Td>
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
          <CardHeader title="Recent runs" description="The latest 30 runs of all jobs." />
          {runs.length === 0 ? (
            <EmptyState title="No runs yet">Runs appear here when a schedule fires or you press Run now.</EmptyState>
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
                {runs.map((run) => (
                  <tr key={run.id} data-testid="run-row" data-status={run.status} data-interrupted={run.interrupted || undefined}>
                    <Td className="font-medium">{run.job}</Td>
                    <Td>
                      <div className="flex flex-col items-start gap-1">
                        <RunStatus run={run} />
                        <RunHeartbeat run={run} now={renderedAt} />
                      </div>
                    </Td>
                    <Td>
                      {run.trigger}
                      <span className="text-xs text-slate-500"> · {run.runner}</span>
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
        </Card>
      </div>
    </>
  );
}
