import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import * as runStatus from "@/app/api/admin/jobs/runs/[runId]/route";
import { defineJob } from "@/lib/jobs/define";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { createRun, finishRun, getRun, setRunProgress, STALE_AFTER_MS, sweepInterruptedRuns } from "@/lib/jobs/runs";
import { call } from "../support/api";
import { makeUser, queuePendingEmails } from "../support/factories";
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
 * The real thing, across processes: `npm run cli -- jobs:run email` in a
 * process of its own delivers a first batch of the outbox through a stand-in
 * for Resend, which answers the first batch and then holds its answer to the
 * second batch's first email; the CLI is killed with SIGKILL there, mid-batch.
 * It cannot close its row. Another instance of the app (tests/support/app-process.ts,
 * the app's start-up as under `next start`), started afterwards on the same
 * database, closes it with its embedded scheduler's sweep once the heartbeat
 * is older than JOB_STALE_AFTER_SECONDS (its lowest, 30 s, for the app: the
 * test waits for the app to log the closing), and answers it over HTTP to an admin as failed,
 * interrupted; what the first batch delivered stays delivered.
 * PostgreSQL only: a PGlite directory is open in one process at a time.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a job process killed mid-batch", () => {
  const EMAILS = 70;
  /** The second instance's JOB_STALE_AFTER_SECONDS: its lowest allowed value. */
  const APP_STALE_MS = 30_000;
  const BATCH = 50; // lib/jobs/email.ts
  const SETTINGS = {
    // The test's own settings (setup-db.ts), which PostgreSQL requires of any process.
    AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  };

  /** POST /emails answered at once for the first batch; from the next one on, held until released. */
  function fakeResend() {
    const held = deferred();
    const release = deferred();
    const fake = {
      received: 0,
      url: "",
      held: held.promise,
      release: release.resolve,
      server: http.createServer((req, res) => {
        req.resume();
        req.on("end", async () => {
          const n = ++fake.received;
          if (n > BATCH) {
            held.resolve();
            await release.promise;
          }
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `re_${n}` }));
        });
      }),
    };
    return fake;
  }

  it(
    "is closed by another instance as failed, interrupted, once its heartbeat is stale, and the first batch's work is kept",
    // A hang guard only: the verdict waits on the app's log, which comes within APP_STALE_MS plus a minute.
    { timeout: APP_STALE_MS + 6 * 60_000 },
    async () => {
      const url = process.env.SW_TEST_DATABASE_URL!;
      const db = await getDb();
      const admin = await makeUser("admin");
      await queuePendingEmails(EMAILS);
      const resend = fakeResend();
      await new Promise<void>((r) => resend.server.listen(0, "127.0.0.1", r));
      resend.url = `http://127.0.0.1:${(resend.server.address() as AddressInfo).port}`;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-heartbeat-"));
      const children: ChildProcess[] = [];

      try {
        const cli = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", "jobs:run", "email"], {
          env: {
            ...process.env,
            ...SETTINGS,
            DATABASE_URL: url,
            NODE_ENV: "development",
            LOG_LEVEL: "",
            RESEND_API_KEY: "re_test_key",
            RESEND_BASE_URL: resend.url,
            EMAIL_FROM: "SecureWave <hello@securewave.test>",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(cli);
        let said = "";
        cli.stderr!.on("data", (c: Buffer) => (said += c.toString()));
        const proc = watch(cli);
        // The first batch is delivered and the second one is in progress, waiting on the provider.
        await Promise.race([
          resend.held,
          proc.exited.then((code) => {
            throw new Error(`the CLI exited (${code}) before its second batch:\n${said}`);
          }),
        ]);
        const [mine] = await rows<{ id: string }>(db, sql`select id from job_runs where job = 'email' and trigger = 'manual' and status = 'running'`);
        expect(mine, "the CLI's run, running").toBeDefined();
        const runId = mine!.id;
        const midBatch = (await getRun(runId))!;
        expect(midBatch).toMatchObject({ status: "running", runner: "embedded", progress: { done: BATCH, total: EMAILS, step: "batch 1" } });

        cli.kill("SIGKILL");
        expect(await proc.exited).toBeNull();
        expect(cli.signalCode).toBe("SIGKILL");

        // Nobody closed the run: the killed process could not. Its first batch is delivered, the second one claimed.
        const left = (await getRun(runId))!;
        expect(left).toMatchObject({ status: "running", finishedAt: null, progress: { done: BATCH } });
        // (Emails queued as "logged", without a Resend key, such as the admin's welcome, are not for delivery.)
        const outbox = () =>
          rows<{ status: string; n: number; providers: number }>(
            db,
            sql`select status, count(*)::int as n, count(distinct provider_id)::int as providers from email_outbox where status <> 'logged' group by 1 order by 1`,
          );
        expect(await outbox()).toEqual([
          { status: "sending", n: EMAILS - BATCH, providers: 0 },
          { status: "sent", n: BATCH, providers: BATCH },
        ]);

        // Another instance, started afterwards on the same database. No Resend key: it delivers nothing itself.
        const appEnv: NodeJS.ProcessEnv = { ...process.env, ...SETTINGS, PORT: "0", DATABASE_URL: url, DATA_DIR: dataDir, NODE_ENV: "production", LOG_LEVEL: "info", JOB_STALE_AFTER_SECONDS: String(APP_STALE_MS / 1000) };
        delete appEnv.RESEND_API_KEY;
        delete appEnv.RESEND_BASE_URL;
        const app = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "tests/support/app-process.ts"], {
          env: appEnv,
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(app);
        const served = watch(app);
        const { port } = (await served.logged("test.listening")) as { port: number };
        const status = async () => {
          const res = await fetch(`http://127.0.0.1:${port}/api/admin/jobs/runs/${runId}`, { headers: { authorization: `Bearer ${admin.token}` } });
          return { status: res.status, json: await res.json() };
        };

        // The app's sweep (at start-up and every minute) logs each closing, naming the runs it closed; earlier
        // tests of this file leave runs of their own that it may close first.
        for (let n = 1; ; n++) {
          const closings = await served.loggedTimes("job runs closed as interrupted: no heartbeat", n);
          if ((closings.at(-1)!.runs as string[]).includes(`email ${runId}`)) break;
        }

        const answer = await status();
        expect(answer.status).toBe(200);
        expect(answer.json).toMatchObject({
          id: runId,
          job: "email",
          status: "failed",
          interrupted: true,
          trigger: "manual",
          runner: "embedded",
          error: expect.stringMatching(STOPPED),
          heartbeatAt: left.heartbeatAt,
          progress: { done: BATCH, total: EMAILS, step: "batch 1" },
        });
        expect(answer.json.error).toContain(`no heartbeat since ${left.heartbeatAt.slice(0, 19)}Z`);
        // Closed for its silence, not sooner: both instants are the database's clock.
        expect(Date.parse(answer.json.finishedAt) - Date.parse(answer.json.heartbeatAt)).toBeGreaterThanOrEqual(APP_STALE_MS);

        // The first batch's work is kept: delivered once each, with the provider's ids; nothing was sent again.
        expect(await outbox()).toEqual([
          { status: "sending", n: EMAILS - BATCH, providers: 0 },
          { status: "sent", n: BATCH, providers: BATCH },
        ]);
        expect(resend.received).toBe(BATCH + 1);

        app.kill("SIGTERM");
        expect(await served.exited).toBe(0);
      } finally {
        for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        resend.release();
        resend.server.closeAllConnections();
        await new Promise((r) => resend.server.close(r));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
