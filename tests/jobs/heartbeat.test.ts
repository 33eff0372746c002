import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import * as runStatus from "@/app/api/admin/jobs/runs/[runId]/route";
import { defineJob } from "@/lib/jobs/define";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { createRun, finishRun, getRun, setRunProgress, STALE_AFTER_MS, sweepInterruptedRuns, type JobRunDto } from "@/lib/jobs/runs";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { watch } from "../support/spawned";

/**
 * Runs carry a heartbeat: the process running a job moves job_runs.heartbeat_at
 * while it lives, and a running row whose heartbeat stopped is closed by the
 * sweep as failed, interrupted. Every wait here is on an event or on a row
 * changing; the short pauses inside polls only pace the polling.
 */

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls until `check` answers something; the pause only paces the loop, the verdict is the row itself. */
async function until<T>(_what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function ageHeartbeat(id: string, ms: number): Promise<void> {
  const db = await getDb();
  await db.execute(sql`update job_runs set heartbeat_at = now() - make_interval(secs => ${ms / 1000}) where id = ${id}`);
}

const STOPPED = /^interrupted: the process running it stopped \(no heartbeat since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/;

afterEach(() => waitForInFlightRuns());

describe("job run heartbeat", () => {
  it("moves while the run executes and stops with it", async () => {
    const started = deferred<string>();
    const gate = deferred();
    const job = defineJob({
      name: "t-beat",
      description: "test",
      async run({ step, runId }) {
        await step.run("wait", async () => {
          started.resolve(runId);
          await gate.promise;
        });
        return { done: 1 };
      },
    });
    const finished = executeJob(job, { trigger: "manual", runner: "embedded", heartbeatMs: 20 });
    const runId = await started.promise;
    const first = (await getRun(runId))!;
    expect(first.status).toBe("running");
    // The step is still waiting on `gate`: only the run's heartbeat can move the row.
    const later = await until("a newer heartbeat", async () => {
      const r = (await getRun(runId))!;
      return Date.parse(r.heartbeatAt) > Date.parse(first.heartbeatAt) && r;
    });
    expect(later.status).toBe("running");
    expect(later.progress).toBeNull();
    gate.resolve();
    const done = (await finished)!;
    expect(done).toMatchObject({ status: "succeeded", interrupted: false, error: null });
    expect(Date.parse(done.heartbeatAt)).toBeGreaterThanOrEqual(Date.parse(later.heartbeatAt));
  });

  it("is moved by a progress update too", async () => {
    const id = await createRun("t-progress", "manual", "embedded");
    await ageHeartbeat(id, 60_000);
    const before = (await getRun(id))!.heartbeatAt;
    await setRunProgress(id, 1, 2, "half");
    expect(Date.parse((await getRun(id))!.heartbeatAt)).toBeGreaterThan(Date.parse(before));
  });
});

describe("sweepInterruptedRuns", () => {
  it("closes running runs whose heartbeat is older than the limit, in one statement, and no other", async () => {
    const stale = await createRun("t-stale", "schedule", "embedded");
    const staleInngest = await createRun("t-stale-inngest", "schedule", "inngest");
    const fresh = await createRun("t-fresh", "schedule", "embedded");
    const nearly = await createRun("t-nearly", "schedule", "embedded");
    const finishedOld = await createRun("t-finished", "schedule", "embedded");
    await finishRun(finishedOld, { status: "succeeded", counts: { n: 1 } });
    await ageHeartbeat(stale, STALE_AFTER_MS + 60_000);
    await ageHeartbeat(staleInngest, STALE_AFTER_MS + 60_000);
    await ageHeartbeat(nearly, STALE_AFTER_MS - 30_000);
    await ageHeartbeat(finishedOld, STALE_AFTER_MS * 10);

    expect(await sweepInterruptedRuns()).toBe(2);

    const closed = (await getRun(stale))!;
    expect(closed).toMatchObject({ status: "failed", interrupted: true, counts: {} });
    expect(closed.error).toMatch(STOPPED);
    expect(closed.error).toContain(`no heartbeat since ${closed.heartbeatAt.slice(0, 19)}Z`);
    expect(closed.finishedAt).not.toBeNull();
    expect((await getRun(staleInngest))!).toMatchObject({ status: "failed", interrupted: true });
    expect((await getRun(fresh))!).toMatchObject({ status: "running", finishedAt: null, error: null, interrupted: false });
    expect((await getRun(nearly))!).toMatchObject({ status: "running", interrupted: false });
    expect((await getRun(finishedOld))!).toMatchObject({ status: "succeeded", error: null, counts: { n: 1 } });

    // Again: nothing left to close. With a "now" past the limit of the others, they go too.
    expect(await sweepInterruptedRuns()).toBe(0);
    expect(await sweepInterruptedRuns(new Date(Date.now() + STALE_AFTER_MS + 60_000))).toBeGreaterThanOrEqual(2);
    expect((await getRun(nearly))!.interrupted).toBe(true);
  });

  it("a swept run whose process was only stalled records its real outcome; a real failure is not overwritten", async () => {
    const stalled = await createRun("t-stalled", "schedule", "embedded");
    await ageHeartbeat(stalled, STALE_AFTER_MS + 1000);
    await sweepInterruptedRuns();
    expect((await getRun(stalled))!.interrupted).toBe(true);
    await finishRun(stalled, { status: "succeeded", counts: { n: 2 } });
    expect((await getRun(stalled))!).toMatchObject({ status: "succeeded", error: null, interrupted: false, counts: { n: 2 } });

    const failed = await createRun("t-failed", "schedule", "embedded");
    await finishRun(failed, { status: "failed", error: new Error("disk full") });
    await finishRun(failed, { status: "succeeded" });
    expect((await getRun(failed))!).toMatchObject({ status: "failed", error: "disk full", interrupted: false });
  });

  it("GET /api/admin/jobs/runs/:runId answers the closed run as failed, interrupted, with its last heartbeat", async () => {
    const admin = await makeUser("admin");
    const id = await createRun("email", "manual", "embedded");
    await ageHeartbeat(id, STALE_AFTER_MS + 5_000);
    await sweepInterruptedRuns();
    const res = await call(runStatus.GET, { token: admin.token, path: `/api/admin/jobs/runs/${id}`, params: { runId: id } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, job: "email", status: "failed", interrupted: true, error: expect.stringMatching(STOPPED) });
    expect(Date.parse(res.json.heartbeatAt)).toBeLessThan(Date.parse(res.json.finishedAt));
    expect(["running", "succeeded", "failed"]).toContain(res.json.status);
  });

  it("a new embedded run sweeps first, so a crashed run does not stay beside it", async () => {
    const crashed = await createRun("t-next", "schedule", "embedded");
    await ageHeartbeat(crashed, STALE_AFTER_MS + 1000);
    const job = defineJob({ name: "t-next", description: "test", run: async () => ({}) });
    expect(await executeJob(job, { trigger: "schedule", runner: "embedded" })).toMatchObject({ status: "succeeded" });
    expect((await getRun(crashed))!).toMatchObject({ status: "failed", interrupted: true });
  });
});

/**
 * The real thing: `npm run cli -- jobs:run email` in a process of its own,
 * killed with SIGKILL mid-run, cannot close its row; the sweep does. To keep
 * it mid-run for as long as the test needs, this process holds an ACCESS
 * EXCLUSIVE lock on email_outbox, which the job's first step reads (and
 * nothing before it: the CLI's start-up reads other tables): the run is
 * created, beats, then waits on the lock until it is killed.
 * PostgreSQL only: a PGlite directory is open in one process at a time, so
 * the test could not hold a lock beside the CLI.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a job process killed mid-run", () => {
  it("is closed by the sweep as interrupted once its heartbeat is older than the limit", { timeout: 120_000 }, async () => {
    const url = process.env.SW_TEST_DATABASE_URL!;
    const { default: postgres } = await import("postgres");
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    const locked = deferred();
    const release = deferred();
    const holding = holder
      .begin(async (tx) => {
        await tx`lock table email_outbox in access exclusive mode`;
        locked.resolve();
        await release.promise;
      })
      .catch(() => {});
    await locked.promise;

    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", "jobs:run", "email"], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        // The test's own settings (setup-db.ts), which PostgreSQL requires of any process.
        AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
        NODE_ENV: "development",
        LOG_LEVEL: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    child.stderr.on("data", (c: Buffer) => (said += c.toString()));
    const proc = watch(child);
    let run: JobRunDto | undefined;
    try {
      const db = await getDb();
      const exitedEarly = () => {
        if (proc.hasExited()) throw new Error(`the CLI exited before its run was seen running:\n${said}`);
      };
      const running = await until("the CLI's run, running", async () => {
        exitedEarly();
        const [r] = await rows<{ id: string; started_at: Date }>(
          db,
          sql`select id, started_at from job_runs where job = 'email' and status = 'running' and trigger = 'manual'`,
        );
        return r;
      });
      // Its heartbeat moves (every HEARTBEAT_MS) while the step waits on the lock: the process is alive and says so.
      run = await until("a heartbeat from the CLI", async () => {
        exitedEarly();
        const r = (await getRun(running.id))!;
        return Date.parse(r.heartbeatAt) > Date.parse(r.startedAt) && r;
      });
      expect(run.status).toBe("running");
      expect(await sweepInterruptedRuns()).toBe(0);

      child.kill("SIGKILL");
      await proc.exited;
    } finally {
      if (!proc.hasExited()) child.kill("SIGKILL");
      release.resolve();
      await holding;
      await holder.end({ timeout: 5 });
    }

    // Nobody closed it: the killed process could not.
    const left = (await getRun(run.id))!;
    expect(left).toMatchObject({ status: "running", finishedAt: null });
    // Just inside the limit after its last beat it stays; past it, the sweep closes it.
    const last = Date.parse(left.heartbeatAt);
    expect(await sweepInterruptedRuns(new Date(last + STALE_AFTER_MS - 1000))).toBe(0);
    expect(await sweepInterruptedRuns(new Date(last + STALE_AFTER_MS + 1000))).toBe(1);
    const closed = (await getRun(run.id))!;
    expect(closed).toMatchObject({ status: "failed", interrupted: true, job: "email", runner: "embedded" });
    expect(closed.error).toMatch(STOPPED);
    expect(closed.error).toContain(`no heartbeat since ${left.heartbeatAt.slice(0, 19)}Z`);
  });
});
