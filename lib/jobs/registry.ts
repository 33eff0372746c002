import "server-only";
import type { JobDefinition } from "./define";
import { emailJob } from "./email";
import { rotationJob } from "./rotation";
import { telemetryJob } from "./telemetry";
import { rollupJob } from "./rollup";
import { metricsJob } from "./metrics";
import { abuseJob } from "./abuse";
import { slaJob } from "./sla";
import { quotaJob } from "./quota";
import { expiryJob } from "./expiry";

/** Every job the app runs. Adding one is one entry here (rotation, rollup, metrics, abuse, sla to come). */
const JOBS = [emailJob, rotationJob, telemetryJob, rollupJob, metricsJob, abuseJob, slaJob, quotaJob, expiryJob] as const;

export type JobName = (typeof JOBS)[number]["name"];
export const JOB_NAMES = JOBS.map((j) => j.name) as unknown as readonly [JobName, ...JobName[]];
export const jobs: readonly JobDefinition[] = JOBS;


export function getJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
