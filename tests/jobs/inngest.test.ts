import { describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { defineJob } from "@/lib/jobs/define";
import { createRun, getRun, listRuns } from "@/lib/jobs/runs";
import { createJobFunction, getJobFunction } from "@/inngest/functions";

/** The Inngest runner, executed offline by @inngest/test (no Inngest server can run here). */
let calls = 0;
const job = defineJob({
  name: "t-inngest",
  description: "test",
  cron: "*/5 * * * *",
  event: "test/thing.happened",
  async run({ step, progress }) {
    const a = await step.run("a", async () => {
      calls++;
      return 2;
    });
    const b = await step.run("b", async () => 3);
    await progress(1, 1, "done");
    return { total: a + b };
  },
});
const fn = createJobFunction(job);
const timer = { name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" } };

describe("Inngest functions built from job definitions", () => {
  it("have the job's cron, its event and the filtered manual-run event as triggers", () => {
    const triggers = fn.opts.triggers as Array<{ cron?: string; event?: string | { name: string }; if?: string }>;
    expect(triggers).toContainEqual({ cron: "*/5 * * * *" });
    expect(triggers).toContainEqual({ event: "test/thing.happened" });
    const manual = triggers.find((t) => typeof t.event === "object");
    expect(manual).toMatchObject({ event: { name: "securewave/job.run.requested" }, if: "event.data.job == 't-inngest'" });
    expect(fn.opts.concurrency).toEqual({ limit: 1 });

    const email = getJobFunction("email")!;
    expect(email.opts.triggers).toContainEqual({ cron: "* * * * *" });
    expect(email.opts.triggers).toContainEqual({ event: "securewave/email.queued" });
  });

  it("a scheduled run records a succeeded job_runs row with the counts, keyed by Inngest's run id", async () => {
    const engine = new InngestTestEngine({ function: fn, events: [timer] });
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ job: "t-inngest", status: "succeeded", counts: { total: 5 }, trigger: "schedule", runner: "inngest" });
    const runs = await listRuns({ job: "t-inngest" });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", counts: { total: 5 }, progress: { done: 1, total: 1, step: "done" } });
    expect(calls).toBe(1); // replays reuse the memoised step
  });

  it("an event run is recorded with trigger 'event'", async () => {
    const engine = new InngestTestEngine({ function: fn, events: [{ name: "test/thing.happened", data: {} }] });
    const { result } = await engine.execute();
    expect(result).toMatchObject({ trigger: "event", status: "succeeded" });
  });

  it("a manual run completes the row that triggerJob created", async () => {
    const runId = await createRun("email", "manual", "inngest");
    const engine = new InngestTestEngine({
      function: getJobFunction("email")!,
      events: [{ name: "securewave/job.run.requested", data: { job: "email", runId } }],
    });
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ id: runId, status: "succeeded", counts: { sent: 0, retried: 0, failed: 0 } });
    expect(await getRun(runId)).toMatchObject({ status: "succeeded", trigger: "manual", runner: "inngest" });
  });

  it("a failing job records the failure and fails the Inngest run without retrying", async () => {
    const failing = createJobFunction(
      defineJob({ name: "t-inngest-fail", description: "test", run: async () => { throw new Error("disk full"); } }),
    );
    const runId = await createRun("t-inngest-fail", "manual", "inngest");
    const events: [{ name: string; data: Record<string, unknown> }] = [
      { name: "securewave/job.run.requested", data: { job: "t-inngest-fail", runId } },
    ];
    const { error } = await new InngestTestEngine({ function: failing, events }).execute();
    expect(error).toMatchObject({ message: "disk full", name: "NonRetriableError" });
    expect(await getRun(runId)).toMatchObject({ status: "failed", error: "disk full" });
  });

  it("onFailure closes a run that is still marked running, and leaves finished ones alone", async () => {
    const runId = await createRun("email", "manual", "inngest");
    const original = { name: "securewave/job.run.requested", data: { job: "email", runId } };
    const onFailure = getJobFunction("email")!.opts.onFailure as (ctx: unknown) => Promise<void>;
    const failure = { event: { name: "inngest/function.failed", data: { run_id: "x", function_id: "f", error: {}, event: original } } };
    await onFailure({ ...failure, error: new Error("function timed out") });
    expect(await getRun(runId)).toMatchObject({ status: "failed", error: "function timed out" });
    await onFailure({ ...failure, error: new Error("later") });
    expect((await getRun(runId))!.error).toBe("function timed out");
  });

  it("the /api/inngest route stands aside (404) while Inngest is not configured", async () => {
    const { GET } = await import("@/app/api/inngest/route");
    const res = await GET(new Request("http://localhost/api/inngest") as never, {});
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
