import { JOB_NAMES, getJob } from "@/lib/jobs/registry";
import { executeJob } from "@/lib/jobs/execute";
import { UsageError, type Command } from "./types";

export const jobsRun: Command = {
  name: "jobs:run",
  summary: "Run a background job now, in this process, and print its outcome",
  usage: `jobs:run <${JOB_NAMES.join("|")}>`,
  options: {},
  async run(_v, positionals) {
    const name = positionals[0];
    const job = name ? getJob(name) : undefined;
    if (!job) throw new UsageError(`name a job: ${JOB_NAMES.join(", ")}`);
    const run = await executeJob(job, { trigger: "manual", runner: "embedded" });
    if (!run) throw new Error(`${name} is already running elsewhere`);
    console.log(`${run.job}: ${run.status} ${JSON.stringify(run.counts)}${run.error ? ` — ${run.error}` : ""}`);
    if (run.status !== "succeeded") process.exitCode = 1;
  },
};
