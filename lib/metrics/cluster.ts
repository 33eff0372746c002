import "server-only";
import cluster from "node:cluster";

/**
 * The worker's side of metrics across the processes of scripts/cluster.mjs
 * (`npm start` on PostgreSQL with several cores). A scrape lands on one
 * worker; it asks the primary, which asks every other worker for its local
 * metrics (lib/metrics/registry.ts) and hands them back, so the answer counts
 * every worker's requests and jobs. Nothing of this runs in a single server.
 *
 * The messages, with scripts/cluster.mjs on the other side: `sw:ready` (a
 * worker started: lib/server/start.ts), `sw:metrics:collect` → `sw:metrics:others`
 * (a scrape asks for the others), `sw:metrics:get` → `sw:metrics:json` (one
 * worker's answer).
 */
const ASK_TIMEOUT_MS = 3_000;

interface Ipc {
  send?: (msg: unknown) => boolean;
  on(event: "message", listener: (msg: unknown) => void): unknown;
  off(event: "message", listener: (msg: unknown) => void): unknown;
}
const ipc = process as unknown as Ipc;
const g = globalThis as unknown as { __swMetricsAnswering?: boolean; __swMetricsAsk?: number };

/** A worker started by Node's cluster module (with the primary's channel). */
export function isClusterWorker(): boolean {
  return cluster.isWorker && typeof ipc.send === "function";
}

/** The other workers' local metrics as JSON (an empty list when none answers in time). */
export function askOtherWorkers(): Promise<unknown[][]> {
  const id = (g.__swMetricsAsk = (g.__swMetricsAsk ?? 0) + 1);
  return new Promise((resolve) => {
    const done = (metrics: unknown[][]) => {
      clearTimeout(timer);
      ipc.off("message", listener);
      resolve(metrics);
    };
    const listener = (msg: unknown) => {
      const m = msg as { type?: string; id?: number; metrics?: unknown };
      if (m?.type === "sw:metrics:others" && m.id === id) done(Array.isArray(m.metrics) ? (m.metrics as unknown[][]) : []);
    };
    const timer = setTimeout(() => done([]), ASK_TIMEOUT_MS);
    ipc.on("message", listener);
    ipc.send!({ type: "sw:metrics:collect", id });
  });
}

/** Answers the primary's requests for this worker's local metrics (once per process; at server start). */
export function answerMetricsRequests(local: () => Promise<unknown[]>): void {
  if (!isClusterWorker() || g.__swMetricsAnswering) return;
  g.__swMetricsAnswering = true;
  ipc.on("message", (msg: unknown) => {
    const m = msg as { type?: string; request?: number };
    if (m?.type !== "sw:metrics:get") return;
    local().then(
      (metrics) => ipc.send!({ type: "sw:metrics:json", request: m.request, metrics }),
      () => ipc.send!({ type: "sw:metrics:json", request: m.request, metrics: null }),
    );
  });
}
