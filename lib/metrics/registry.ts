import "server-only";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus registry (prom-client), served by GET /api/metrics:
 * the default process and Node.js metrics (unprefixed `process_*` and
 * `nodejs_*`, as every Node exporter names them), request latency per route
 * pattern (observed in withApi), job durations (observed where a run
 * finishes), and the database gauges the endpoint sets on each scrape.
 *
 * One per process, on globalThis: Next bundles route handlers and
 * instrumentation separately and dev hot reload re-evaluates modules, and a
 * second registration of a metric name, or a second default-metrics
 * collector, would throw or double count. Tests that want their own build one
 * with createAppMetrics().
 */
export interface AppMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  jobDuration: Histogram<"job" | "outcome">;
}

export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "securewave_http_request_duration_seconds",
      help: "API request latency (until the response is ready), by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "securewave_job_duration_seconds",
      help: "Duration of background job runs finished by this instance, by job and outcome (succeeded, failed, interrupted).",
      labelNames: ["job", "outcome"],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600],
      registers: [registry],
    }),
  };
}

const g = globalThis as unknown as { __swMetrics?: AppMetrics };

/** The process's metrics, created on first use. */
export const appMetrics = (): AppMetrics => (g.__swMetrics ??= createAppMetrics());

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  appMetrics().httpRequestDuration.observe({ method, route, status: String(status) }, seconds);
}

export function observeJobRun(job: string, outcome: "succeeded" | "failed" | "interrupted", seconds: number): void {
  appMetrics().jobDuration.observe({ job, outcome }, seconds);
}

/**
 * The registry in text exposition format 0.0.4. prom-client writes NaN as
 * `Nan` (the event-loop mean and deviation before any sample); the format
 * spells it `NaN`, so sample values are put right here.
 */
export async function exposition(registry: Registry = appMetrics().registry): Promise<string> {
  return (await registry.metrics()).replace(/^([^#\n].*) Nan$/gm, "$1 NaN");
}
