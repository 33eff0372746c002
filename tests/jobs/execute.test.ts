import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, getDbHandle, rows } from "@/db/client";
import type { UserActor } from "@/lib/auth/actor";
import { defineJob } from "@/lib/jobs/define";
import { embeddedStep, executeJob, resumeRuns, startInBackground, stopRuns, waitForInFlightRuns } from "@/lib/jobs/execute";
import { createRun, getRun, lastRunsByJob, listRuns } from "@/lib/jobs/runs";
import { triggerJob } from "@/lib/jobs/trigger";

const admin: UserActor = { kind: "user", id: "admin-1", role: "admin", status: "active", email: "admin@example.com" };
const embedded = { trigger: "schedule", runner: "embedded" } as const;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => waitForInFlightRuns());

describe("executeJob (embedded runner)", () => {
  it("records a succeeded run with its counts and progress", async () => {
    const job = defineJob({
      name: "t-ok",
      description: "test",
      async run({ progress, step }) {
        const n = await step.run("work", async () => 3);
        await progress(2, 4, "half way");
        return { processed: n };
      },
    });
    const run = await executeJob(job, embedded);
    expect(run).toMatchObject({ job: "t-ok", status: "succeeded", counts: { processed: 3 }, error: null, trigger: "schedule", runner: "embedded" });
    expect(run!.progress).toEqual({ done: 2, total: 4, step: "half way" });
    expect(Date.parse(run!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt));
    expect((await listRuns({ job: "t-ok", limit: 5 })).map((r) => r.id)).toEqual([run!.id]);
    expect((await lastRunsByJob())["t-ok"].id).toBe(run!.id);
  });

  it("records a throwing job as failed with the message only", async () => {
    const job = defineJob({ name: "t-boom", description: "test", run: async () => { throw new Error("boom"); } });
    const run = await executeJob(job, embedded);
    expect(run).toMatchObject({ status: "failed", error: "boom", counts: {} });
  });

  it("never records SQL parameters of a failed query", async () => {
    const job = defineJob({
      name: "t-sql",
      description: "test",
      async run() {
        await (await getDb()).execute(sql`select * from no_such_table where secret = ${"hunter2-secret"}`);
        return {};
      },
    });
    const run = await executeJob(job, embedded);
    expect(run!.status).toBe("failed");
    expect(run!.error).toContain("no_such_table");
    expect(run!.error).not.toContain("hunter2");
    expect(run!.error!.length).toBeLessThanOrEqual(500);
  });

  it("memoises embedded steps by id within a run, through JSON like Inngest", async () => {
    const step = embeddedStep();
    let calls = 0;
    const fn = async () => ({ n: ++calls, at: new Date(0) });
    const a = await step.run("s", fn);
    const b = await step.run("s", fn);
    expect(calls).toBe(1);
    expect(b).toEqual(a);
    expect(a.at).toBe("1970-01-01T00:00:00.000Z");
    await step.run("other", fn);
    expect(calls).toBe(2);
  });

  it("manual trigger answers a runId at once; the run finishes in the background", async () => {
    const { runId } = await triggerJob("email", admin);
    const first = await getRun(runId);
    expect(first).toMatchObject({ id: runId, job: "email", trigger: "manual", runner: "embedded" });
    // The background run is tracked in this process: wait for it, not for a time.
    await waitForInFlightRuns();
    const done = await getRun(runId);
    expect(done).toMatchObject({ status: "succeeded", counts: { sent: 0, retried: 0, failed: 0 } });
    const audit = await rows<{ action: string; target_id: string; actor_id: string }>(
      await getDb(),
      sql`select action, target_id, actor_id from audit_log where action = 'job.triggered'`,
    );
    expect(audit).toEqual([{ action: "job.triggered", target_id: "email", actor_id: "admin-1" }]);
  });

  it("refuses unknown jobs and non-admins", async () => {
    await expect(triggerJob("nope", admin)).rejects.toMatchObject({ code: "not_found" });
    await expect(triggerJob("email", { ...admin, role: "user" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("runs a job once at a time: a second run is skipped, a manual one recorded as already running", async () => {
    const gate = deferred();
    const started = deferred();
    let runs = 0;
    const job = defineJob({
      name: "t-slow",
      description: "test",
      async run() {
        runs++;
        started.resolve();
        await gate.promise;
        return { done: 1 };
      },
    });
    const first = executeJob(job, embedded);
    await started.promise;
    expect(await executeJob(job, embedded)).toBeNull();
    const manualId = await createRun("t-slow", "manual", "embedded");
    expect(await executeJob(job, { trigger: "manual", runner: "embedded", runId: manualId })).toMatchObject({
      status: "failed",
      error: "already running",
    });
    gate.resolve();
    expect(await first).toMatchObject({ status: "succeeded", counts: { done: 1 } });
    expect(runs).toBe(1);
    expect(await listRuns({ job: "t-slow" })).toHaveLength(2);
    // The lock is released afterwards.
    expect(await executeJob(job, embedded)).toMatchObject({ status: "succeeded" });
  });

  it("stopping lets the step in progress finish, starts no further step or run, and closes the run as interrupted", async () => {
    const gate = deferred();
    const started = deferred();
    const ran: string[] = [];
    const job = defineJob({
      name: "t-stop",
      description: "test",
      async run({ step, progress }) {
        await step.run("first", async () => {
          started.resolve();
          await gate.promise;
          ran.push("first");
        });
        await progress(1, 2, "first done");
        await step.run("second", async () => void ran.push("second"));
        return { done: 2 };
      },
    });
    const manualId = await createRun("t-stop", "manual", "embedded");
    startInBackground(job, { trigger: "manual", runner: "embedded", runId: manualId });
    await started.promise;
    let stopped = false;
    const stopping = stopRuns().then(() => (stopped = true));
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(stopped).toBe(false); // waiting for the step
      gate.resolve();
      await stopping;
      expect(ran).toEqual(["first"]);
      expect(await getRun(manualId)).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/^interrupted: the server stopped between two steps/),
        progress: { done: 1, total: 2, step: "first done" },
      });
      // No new run while stopped: a scheduled one is skipped, a manual one closed at once.
      expect(await executeJob(job, embedded)).toBeNull();
      const laterId = await createRun("t-stop", "manual", "embedded");
      expect(await executeJob(job, { trigger: "manual", runner: "embedded", runId: laterId })).toMatchObject({ status: "failed", error: expect.stringMatching(/^interrupted/) });
      expect(ran).toEqual(["first"]);
    } finally {
      resumeRuns();
    }
    expect(await executeJob(job, embedded)).toMatchObject({ status: "succeeded" });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("executeJob on PostgreSQL", () => {
  it("two concurrent runs of one job: the advisory lock lets only one through", async () => {
    const gate = deferred();
    const started = deferred();
    let runs = 0;
    const job = defineJob({
      name: "t-pg",
      description: "test",
      async run() {
        runs++;
        started.resolve();
        await gate.promise;
        return { done: 1 };
      },
    });
    const first = executeJob(job, embedded);
    await started.promise;
    const db = await getDb();
    const held = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and objid = hashtext('job:t-pg')::oid`,
    );
    expect(held[0].n).toBe(1);
    const second = await executeJob(job, embedded);
    gate.resolve();
    expect(second).toBeNull();
    expect(await first).toMatchObject({ status: "succeeded" });
    expect(runs).toBe(1);
  });

  it("a lock held by another process (another connection) makes this one stand down", async () => {
    const { url } = await getDbHandle();
    const { default: postgres } = await import("postgres");
    const other = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      await other`select pg_advisory_lock(hashtext('job:t-other'))`;
      let runs = 0;
      const job = defineJob({ name: "t-other", description: "test", run: async () => ({ n: ++runs }) });
      expect(await executeJob(job, embedded)).toBeNull();
      await other`select pg_advisory_unlock(hashtext('job:t-other'))`;
      expect(await executeJob(job, embedded)).toMatchObject({ status: "succeeded", counts: { n: 1 } });
    } finally {
      await other.end({ timeout: 5 });
    }
  });
});
