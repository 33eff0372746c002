import { afterAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, jobRuns, users, vpnServers } from "@/db/schema";
import * as metricsRoute from "@/app/api/metrics/route";
import { resetEnv } from "@/lib/env";
import { JOB_NAMES } from "@/lib/jobs/registry";
import { createTicket } from "@/lib/services/support";
import { revokePeer } from "@/lib/services/peers";
import { call } from "../support/api";
import { parsePrometheusText, sampleValue } from "../support/prom-parser";
import { addTraffic, makeServer, userWithDevice } from "./helpers";

const TOKEN = "metrics-test-token-0123456789";
const scrape = (token?: string) => call(metricsRoute.GET as never, { path: "/api/metrics", ...(token ? { token } : {}) });

afterAll(() => {
  resetEnv({ METRICS_TOKEN: undefined });
});

describe("GET /api/metrics", () => {
  it("is off (404) until METRICS_TOKEN is set, then wants that bearer token (401)", async () => {
    resetEnv({ METRICS_TOKEN: undefined });
    expect((await scrape(TOKEN)).status).toBe(404);
    expect((await scrape()).status).toBe(404);

    resetEnv({ METRICS_TOKEN: TOKEN });
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe("unauthenticated");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await scrape("wrong-token")).status).toBe(401);
    expect((await scrape(`${TOKEN}x`)).status).toBe(401);
    expect((await call(metricsRoute.GET as never, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);

    const ok = await scrape(TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers.get("cache-control")).toBe("no-store");
  });

  it("exposes peers, sessions, server bytes, jobs, tickets and abuse in strict exposition format", async () => {
    resetEnv({ METRICS_TOKEN: TOKEN });
    const db = await getDb();
    // A name that needs every label escape.
    const server = await makeServer({ name: 'Edge "Paris" \\ 1' });
    await db.update(vpnServers).set({ name: 'Edge "Paris" \\ 1\nB' }).where(eq(vpnServers.id, server.id));
    const serverName = 'Edge "Paris" \\ 1\nB';
    const a = await userWithDevice(server.id, null);
    const b = await userWithDevice(server.id, null);
    const now = new Date();
    await addTraffic(server.id, a.peer.publicKey, 5000, now);
    await revokePeer(b.user.actor, b.peer.id);
    await db.update(users).set({ quotaBlockedUntil: new Date(Date.now() + 86_400_000) }).where(eq(users.id, b.user.id));

    const started = new Date(Date.now() - 60_000);
    await db.insert(jobRuns).values([
      { job: "quota", trigger: "schedule", runner: "embedded", status: "failed", startedAt: new Date(started.getTime() - 3_600_000), finishedAt: new Date(started.getTime() - 3_598_000), error: "x" },
      { job: "quota", trigger: "schedule", runner: "embedded", status: "failed", startedAt: new Date(started.getTime() - 1_800_000), finishedAt: new Date(started.getTime() - 1_799_000), error: "x" },
      { job: "quota", trigger: "schedule", runner: "embedded", status: "succeeded", startedAt: started, finishedAt: new Date(started.getTime() + 2_500) },
      { job: "sla", trigger: "schedule", runner: "embedded", status: "running", startedAt: started },
    ]);
    await createTicket(a.user.actor, { subject: "Cannot connect", description: "It times out after the handshake.", category: "technical", priority: "high" });
    await db.insert(abuseDetectionLogs).values([
      { userId: a.user.id, incidentType: "account_sharing", severity: "high", description: "3 IPs", status: "pending" },
      { userId: b.user.id, incidentType: "rapid_reconnects", severity: "medium", description: "60/h", status: "resolved" },
    ]);
    await db.execute(sql`update support_tickets set sla_breached = true where user_id = ${a.user.id}`);

    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    const f = parsePrometheusText(res.text);

    for (const name of [
      "securewave_peers",
      "securewave_active_sessions",
      "securewave_server_bytes_total",
      "securewave_job_last_duration_seconds",
      "securewave_job_failures_total",
      "securewave_tickets_backlog",
      "securewave_tickets_backlog_breached",
      "securewave_ticket_sla_breaches_total",
      "securewave_abuse_incidents",
    ]) {
      expect(f.get(name)?.help, name).toBeTruthy();
    }
    expect(f.get("securewave_server_bytes_total")!.type).toBe("counter");
    expect(f.get("securewave_job_failures_total")!.type).toBe("counter");
    expect(f.get("securewave_peers")!.type).toBe("gauge");

    expect(sampleValue(f, "securewave_peers", { status: "active" })).toBe(1);
    expect(sampleValue(f, "securewave_peers", { status: "revoked" })).toBe(1);
    expect(sampleValue(f, "securewave_peers_in_config")).toBe(1);
    expect(sampleValue(f, "securewave_users_quota_blocked")).toBe(1);
    expect(sampleValue(f, "securewave_active_sessions")).toBe(1);
    expect(sampleValue(f, "securewave_server_bytes_total", { server: serverName, direction: "up" })).toBe(5000);
    expect(sampleValue(f, "securewave_server_bytes_total", { server: serverName, direction: "down" })).toBe(0);
    expect(res.text).toContain('server="Edge \\"Paris\\" \\\\ 1\\nB"');
    expect(sampleValue(f, "securewave_server_last_heartbeat_timestamp_seconds", { server: serverName })).toBeCloseTo(Date.now() / 1000, -2);

    expect(sampleValue(f, "securewave_job_failures_total", { job: "quota" })).toBe(2);
    expect(sampleValue(f, "securewave_job_last_duration_seconds", { job: "quota" })).toBeCloseTo(2.5, 3);
    expect(sampleValue(f, "securewave_job_last_success_timestamp_seconds", { job: "quota" })).toBeCloseTo((started.getTime() + 2_500) / 1000, 3);
    // Every job has a failure series from the start (zero), so alerts on rate() work before the first failure.
    for (const job of JOB_NAMES) expect(sampleValue(f, "securewave_job_failures_total", { job })).toBeGreaterThanOrEqual(0);
    expect(() => sampleValue(f, "securewave_job_last_duration_seconds", { job: "sla" })).toThrow(); // still running

    expect(sampleValue(f, "securewave_tickets_backlog", { priority: "high" })).toBe(1);
    expect(sampleValue(f, "securewave_tickets_backlog", { priority: "low" })).toBe(0);
    expect(sampleValue(f, "securewave_tickets_backlog_breached", { priority: "high" })).toBe(1);
    expect(sampleValue(f, "securewave_ticket_sla_breaches_total", { kind: "resolution" })).toBe(1);
    expect(sampleValue(f, "securewave_abuse_incidents", { status: "pending" })).toBe(1);
    expect(sampleValue(f, "securewave_abuse_incidents", { status: "resolved" })).toBe(1);
    expect(sampleValue(f, "securewave_abuse_incidents", { status: "investigating" })).toBe(0);
    expect(sampleValue(f, "securewave_email_outbox", { status: "logged" })).toBeGreaterThan(0);
  });
});
