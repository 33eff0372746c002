import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import * as metricsRoute from "@/app/api/metrics/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import { resetEnv } from "@/lib/env";
import { defineJob } from "@/lib/jobs/define";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { appMetrics, createAppMetrics, exposition } from "@/lib/metrics/registry";
import { routePattern, UNMATCHED_ROUTE } from "@/lib/metrics/route-pattern";
import { call } from "../support/api";
import { parsePrometheusText, sampleValue, type PromFamily } from "../support/prom-parser";
import { makeServer, userWithDevice } from "./helpers";

const TOKEN = "metrics-instrumentation-token-0123456789";

async function scrape(): Promise<{ text: string; f: Map<string, PromFamily> }> {
  const res = await call(metricsRoute.GET as never, { path: "/api/metrics", token: TOKEN });
  expect(res.status).toBe(200);
  return { text: res.text, f: parsePrometheusText(res.text) };
}

/** A histogram's count for one label set, 0 while the series does not exist yet. */
function count(f: Map<string, PromFamily>, name: string, labels: Record<string, string>): number {
  const family = f.get(name);
  expect(family?.type, name).toBe("histogram");
  const found = family!.samples.filter((s) => s.name === `${name}_count` && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

beforeAll(() => resetEnv({ METRICS_TOKEN: TOKEN }));
afterAll(async () => {
  await waitForInFlightRuns();
  resetEnv({ METRICS_TOKEN: undefined });
});

describe("routePattern", () => {
  it("puts each dynamic segment back as its [name]", () => {
    expect(routePattern("/api/vpn/peers/3f2c9a1e-0b7d-4c55-9d7e-2f0e7c1b9a44/qr", { id: "3f2c9a1e-0b7d-4c55-9d7e-2f0e7c1b9a44" })).toBe("/api/vpn/peers/[id]/qr");
    expect(routePattern("/api/support/tickets/t1/attachments/a1", { id: "t1", attachmentId: "a1" })).toBe("/api/support/tickets/[id]/attachments/[attachmentId]");
    expect(routePattern("/api/vpn/servers", {})).toBe("/api/vpn/servers");
    expect(routePattern("/api/vpn/servers", undefined)).toBe("/api/vpn/servers");
  });

  it("gives an id that repeats a static segment, or another id, its own place", () => {
    expect(routePattern("/api/admin/users/admin/plan", { id: "admin" })).toBe("/api/admin/users/[id]/plan");
    expect(routePattern("/api/support/tickets/x/attachments/x", { id: "x", attachmentId: "x" })).toBe("/api/support/tickets/[id]/attachments/[attachmentId]");
  });

  it("reads encoded segments, catch-alls, and never answers with a value it could not place", () => {
    expect(routePattern("/api/vpn/peers/%00", { id: "\u0000" })).toBe("/api/vpn/peers/[id]");
    expect(routePattern("/api/auth/callback/github", { nextauth: ["callback", "github"] })).toBe("/api/auth/[...nextauth]");
    expect(routePattern("/api/vpn/peers/abc", { id: "xyz" })).toBe(UNMATCHED_ROUTE);
    expect(routePattern("/api/auth/callback/github", { nextauth: ["signin", "github"] })).toBe(UNMATCHED_ROUTE);
  });
});

describe("the metrics registry", () => {
  it("is one per process, however often its module is loaded (Next bundles, dev hot reload)", async () => {
    const first = appMetrics();
    vi.resetModules();
    const again = await import("@/lib/metrics/registry");
    expect(again.appMetrics()).toBe(first);
    expect(first.registry.getSingleMetric("process_resident_memory_bytes")).toBeDefined();
  });

  it("can be built in isolation", async () => {
    const own = createAppMetrics();
    expect(own.registry).not.toBe(appMetrics().registry);
    own.jobDuration.observe({ job: "x", outcome: "succeeded" }, 1);
    expect(sampleValue(parsePrometheusText(await exposition(own.registry)), "securewave_job_duration_seconds_count", { job: "x" })).toBe(1);
  });
});

describe("GET /api/metrics (prom-client)", () => {
  it("exposes the default process and Node.js metrics, unprefixed, scrape after scrape", async () => {
    for (let i = 0; i < 2; i++) {
      // Back to back: the event-loop mean is NaN with no sample in between, and must still parse.
      const { f } = await scrape();
      expect(f.get("process_resident_memory_bytes")!.type).toBe("gauge");
      expect(sampleValue(f, "process_resident_memory_bytes")).toBeGreaterThan(0);
      expect(f.get("process_cpu_seconds_total")!.type).toBe("counter");
      expect(f.get("nodejs_eventloop_lag_seconds")!.type).toBe("gauge");
      expect(sampleValue(f, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
      expect(f.get("nodejs_heap_size_used_bytes")).toBeDefined();
      expect(f.get("nodejs_gc_duration_seconds")!.type).toBe("histogram");
      expect(f.get("nodejs_active_handles_total")).toBeDefined();
      expect([...f.keys()].filter((n) => n.startsWith("securewave_process") || n.startsWith("securewave_nodejs"))).toEqual([]);
    }
  });

  it("keeps every database-derived metric's name, type and labels", async () => {
    const { f } = await scrape();
    const expected: [string, "gauge" | "counter", string[]][] = [
      ["securewave_peers", "gauge", ["status"]],
      ["securewave_peers_in_config", "gauge", []],
      ["securewave_peers_expired", "gauge", []],
      ["securewave_users_quota_blocked", "gauge", []],
      ["securewave_active_sessions", "gauge", []],
      ["securewave_server_bytes_total", "counter", ["server", "direction"]],
      ["securewave_server_last_heartbeat_timestamp_seconds", "gauge", ["server"]],
      ["securewave_unsealable_peers", "gauge", ["server"]],
      ["securewave_job_last_duration_seconds", "gauge", ["job"]],
      ["securewave_job_last_success_timestamp_seconds", "gauge", ["job"]],
      ["securewave_job_failures_total", "counter", ["job"]],
      ["securewave_tickets_backlog", "gauge", ["priority"]],
      ["securewave_tickets_backlog_breached", "gauge", ["priority"]],
      ["securewave_ticket_sla_breaches_total", "counter", ["kind"]],
      ["securewave_abuse_incidents", "gauge", ["status"]],
      ["securewave_email_outbox", "gauge", ["status"]],
    ];
    for (const [name, type, labels] of expected) {
      const family = f.get(name);
      expect(family?.type, name).toBe(type);
      expect(family!.help, name).toBeTruthy();
      for (const s of family!.samples) expect(Object.keys(s.labels).sort(), name).toEqual([...labels].sort());
    }
    expect(sampleValue(f, "securewave_peers_in_config")).toBeGreaterThanOrEqual(0);
  });

  it("times each request through withApi by route pattern, never by the raw path", async () => {
    const server = await makeServer();
    const { user, peer } = await userWithDevice(server.id, null);
    const labels = { method: "GET", route: "/api/vpn/peers/[id]" };
    const before = await scrape();
    const ok0 = count(before.f, "securewave_http_request_duration_seconds", { ...labels, status: "200" });
    const missing0 = count(before.f, "securewave_http_request_duration_seconds", { ...labels, status: "404" });

    const ok = await call(peerRoute.GET as never, { path: `/api/vpn/peers/${peer.id}`, token: user.token, params: { id: peer.id } });
    expect(ok.status).toBe(200);
    const unknownId = randomUUID();
    const missing = await call(peerRoute.GET as never, { path: `/api/vpn/peers/${unknownId}`, token: user.token, params: { id: unknownId } });
    expect(missing.status).toBe(404);

    const { text, f } = await scrape();
    expect(count(f, "securewave_http_request_duration_seconds", { ...labels, status: "200" })).toBe(ok0 + 1);
    expect(count(f, "securewave_http_request_duration_seconds", { ...labels, status: "404" })).toBe(missing0 + 1);
    const inf = sampleValue(f, "securewave_http_request_duration_seconds_bucket", { ...labels, status: "200", le: "+Inf" });
    expect(inf).toBe(ok0 + 1);
    expect(sampleValue(f, "securewave_http_request_duration_seconds_sum", { ...labels, status: "200" })).toBeGreaterThan(0);
    expect(text).not.toContain(peer.id);
    expect(text).not.toContain(unknownId);
  });

  it("times each job run that finishes, by job and outcome", async () => {
    const ok = defineJob({ name: "t-metrics-ok", description: "test", run: async ({ step }) => ({ n: await step.run("work", async () => 1) }) });
    const boom = defineJob({ name: "t-metrics-boom", description: "test", run: async () => { throw new Error("boom"); } });
    expect((await executeJob(ok, { trigger: "manual", runner: "embedded" }))!.status).toBe("succeeded");
    expect((await executeJob(ok, { trigger: "manual", runner: "embedded" }))!.status).toBe("succeeded");
    expect((await executeJob(boom, { trigger: "manual", runner: "embedded" }))!.status).toBe("failed");

    const { f } = await scrape();
    expect(count(f, "securewave_job_duration_seconds", { job: "t-metrics-ok", outcome: "succeeded" })).toBe(2);
    expect(count(f, "securewave_job_duration_seconds", { job: "t-metrics-boom", outcome: "failed" })).toBe(1);
    expect(count(f, "securewave_job_duration_seconds", { job: "t-metrics-ok", outcome: "failed" })).toBe(0);
    expect(sampleValue(f, "securewave_job_duration_seconds_bucket", { job: "t-metrics-ok", outcome: "succeeded", le: "+Inf" })).toBe(2);
    expect(sampleValue(f, "securewave_job_duration_seconds_sum", { job: "t-metrics-ok", outcome: "succeeded" })).toBeGreaterThanOrEqual(0);
  });
});
