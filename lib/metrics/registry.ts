import "server-only";
import { AggregatorRegistry, collectDefaultMetrics, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import { askOtherWorkers, isClusterWorker } from "./cluster";

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
  /**
   * The metrics this process keeps itself (process, Node.js, request and job
   * latency), as opposed to the database gauges a scrape sets: what another
   * worker contributes to a scrape (lib/metrics/cluster.ts).
   */
  local: ReadonlySet<string>;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  jobDuration: Histogram<"job" | "outcome">;
}

export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
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
  return { ...metrics, local: new Set(registry.getMetricsAsArray().map((m) => m.name)) };
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
  const text = isClusterWorker() ? await clusterRegistry(registry).then((r) => r.metrics()) : await registry.metrics();
  return text.replace(/^([^#\n].*) Nan$/gm, "$1 NaN");
}

type MetricJson = MetricObjectWithValues<MetricValue<string>>;

/** This process's metrics that another worker's scrape counts too (not the database gauges, which the scraping worker sets fresh). */
export async function localMetricsJson(metrics: AppMetrics = appMetrics()): Promise<MetricJson[]> {
  return (await metrics.registry.getMetricsAsJSON()).filter((m) => metrics.local.has(m.name)) as MetricJson[];
}

/**
 * In a worker of scripts/cluster.mjs: this worker's registry with every other
 * worker's local metrics, aggregated as prom-client aggregates a cluster
 * (counters and histograms summed, memory summed, event-loop lag averaged,
 * the version taken once). A figure prom-client leaves out of an aggregate
 * (the process start time) is this worker's.
 */
async function clusterRegistry(registry: Registry): Promise<Pick<Registry, "metrics">> {
  const own = (await registry.getMetricsAsJSON()) as MetricJson[];
  const others = (await askOtherWorkers()) as MetricJson[][];
  const merged = AggregatorRegistry.aggregate([own, ...others]);
  for (const metric of own) {
    if (!merged.getSingleMetric(metric.name)) merged.registerMetric(Object.assign({ get: () => metric }, metric) as never);
  }
  return merged;
}
