import { jobs } from "@/lib/jobs/registry";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import type { UserActor } from "@/lib/auth/actor";
import { getRun, listRuns } from "@/lib/jobs/runs";
import { triggerJob } from "@/lib/jobs/trigger";
import { dispatchEvent } from "@/lib/jobs/dispatch";
import { isEmbeddedSchedulerRunning, startEmbeddedScheduler, stopEmbeddedScheduler } from "@/lib/jobs/scheduler";

const admin: UserActor = { kind: "user", id: "admin-1", role: "admin", status: "active", email: "admin@example.com" };

/** A stand-in for Inngest's event API (POST /e/:key), to check what the app sends when Inngest is configured. */
const sent: unknown[] = [];
let failing = false;
const server = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    if (failing) return void res.writeHead(500).end(JSON.stringify({ error: "down", status: 500 }));
    sent.push(...JSON.parse(raw));
    res.writeHead(200).end(JSON.stringify({ ids: ["01J0000000000000000000000"], status: 200 }));
  });
});
beforeAll(() => new Promise<void>((r) => server.listen(0, "127.0.0.1", r)));
afterAll(() => new Promise((r) => server.close(r)));
afterEach(async () => {
  await stopEmbeddedScheduler();
  resetEnv({ INNGEST_DEV: undefined, INNGEST_BASE_URL: undefined });
  sent.length = 0;
  failing = false;
});

function withInngest() {
  resetEnv({ INNGEST_DEV: "1", INNGEST_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

describe("embedded scheduler", () => {
  it("starts once, however often it is called, and stops", async () => {
    expect(startEmbeddedScheduler()).toBe(true);
    expect(startEmbeddedScheduler()).toBe(true);
    expect(isEmbeddedSchedulerRunning()).toBe(true);
    const crons = (globalThis as unknown as { __swScheduler: { getPattern(): string }[] }).__swScheduler;
    // one timer per job that has a schedule
    expect(crons.map((c) => c.getPattern()).sort()).toEqual(jobs.filter((j) => j.cron).map((j) => j.cron!).sort());
    await stopEmbeddedScheduler();
    expect(isEmbeddedSchedulerRunning()).toBe(false);
  });

  it("stands down when Inngest is configured", () => {
    withInngest();
    expect(startEmbeddedScheduler()).toBe(false);
    expect(isEmbeddedSchedulerRunning()).toBe(false);
  });
});

describe("with Inngest configured", () => {
  it("dispatchEvent sends the event to Inngest instead of running jobs here", async () => {
    withInngest();
    await dispatchEvent("securewave/email.queued", {});
    expect(sent).toMatchObject([{ name: "securewave/email.queued", data: {} }]);
  });

  it("triggerJob creates the run row and asks Inngest to run it", async () => {
    withInngest();
    const { runId } = await triggerJob("email", admin);
    expect(sent).toMatchObject([{ name: "securewave/job.run.requested", data: { job: "email", runId } }]);
    expect(await getRun(runId)).toMatchObject({ status: "running", trigger: "manual", runner: "inngest" });
  });

  it("triggerJob answers 'unavailable' and closes the run when Inngest cannot be reached", async () => {
    withInngest();
    failing = true;
    await expect(triggerJob("email", admin)).rejects.toMatchObject({ code: "unavailable" });
    const [latest] = await listRuns({ job: "email", limit: 1 });
    expect(latest).toMatchObject({ status: "failed", error: "could not reach Inngest", runner: "inngest" });
  });

  it("rejects an event whose data does not match its schema", async () => {
    await expect(dispatchEvent("securewave/job.run.requested", { job: "", runId: "x" })).rejects.toThrow();
  });
});
