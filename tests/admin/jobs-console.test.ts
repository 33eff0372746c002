import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { jobs } from "@/lib/jobs/registry";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { createRun, finishRun, setRunProgress } from "@/lib/jobs/runs";
import { listRunsPage } from "@/lib/jobs/run-list";
import { counterLabel, hasCounterLabel, humanizeKey, isEmptyCount, labelledCounts } from "@/lib/jobs/labels";
import { GET as getRunRoute } from "@/app/api/admin/jobs/runs/[runId]/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

afterEach(() => waitForInFlightRuns());

describe("job counter labels", () => {
  it("says what a counter counts, and turns an unknown key into words", () => {
    expect(counterLabel("abuse", "foundSuspiciousTrafficPattern")).toBe("Suspicious traffic patterns found");
    // In the job's own order, whatever order jsonb gave the keys back in; unknown counters last.
    expect(labelledCounts("abuse", { zNew: 1, foundSuspiciousTrafficPattern: 0, scannedUsers: 12 })).toEqual([
      { key: "scannedUsers", label: "Users with traffic scanned", value: 12 },
      { key: "foundSuspiciousTrafficPattern", label: "Suspicious traffic patterns found", value: 0 },
      { key: "zNew", label: "Z new", value: 1 },
    ]);
    expect(labelledCounts("email", { sent: 1, failed: 2, retried: 3 }).map((c) => c.key)).toEqual(["sent", "retried", "failed"]);
    expect(counterLabel("abuse", "brandNewCounter")).toBe("Brand new counter");
    expect(counterLabel("no-such-job", "dailyRows")).toBe("Daily rows");
    expect(humanizeKey("ipv4_pool")).toBe("Ipv4 pool");
    expect(humanizeKey("URLCount")).toBe("Url count");
    expect(isEmptyCount({ sent: 0, retried: 0, failed: 0 })).toBe(true);
    expect(isEmptyCount({ sent: 0, failed: 1 })).toBe(false);
    expect(isEmptyCount({})).toBe(true);
  });

  it("every counter every job reports has words of its own", async () => {
    const missing: string[] = [];
    for (const job of jobs) {
      const run = await executeJob(job, { trigger: "manual", runner: "embedded" });
      expect(run?.status, `${job.name}: ${run?.error}`).toBe("succeeded");
      for (const key of Object.keys(run!.counts)) if (!hasCounterLabel(job.name, key)) missing.push(`${job.name}.${key}`);
    }
    expect(missing, "counters without words: add them to lib/jobs/labels.ts").toEqual([]);
  });
});

describe("the jobs page's list of runs", () => {
  async function finished(job: string, counts: Record<string, number>, status: "succeeded" | "failed" = "succeeded", error?: string) {
    const id = await createRun(job, "schedule", "embedded");
    await finishRun(id, { status, counts, error });
    return id;
  }

  it("leaves out idle runs of the jobs asked for, filters by job and outcome, and pages every run once", async () => {
    const db = await getDb();
    await db.delete(jobRuns);
    const idle = [await finished("email", { sent: 0, retried: 0, failed: 0 }), await finished("email", {})];
    const sent = await finished("email", { sent: 2, retried: 0, failed: 0 });
    const rotated = await finished("rotation", { due: 0, rotated: 0 });
    const failed = await finished("abuse", {}, "failed", "boom");
    const interrupted = await finished("abuse", {}, "failed", "interrupted: the process running it stopped (no heartbeat since 2026-01-01T00:00:00Z)");
    const running = await createRun("rollup", "manual", "embedded");

    const ids = async (f: Parameters<typeof listRunsPage>[0]) => (await listRunsPage(f)).items.map((r) => r.id).sort();
    // Idle email runs are hidden; an idle run of another job is not.
    expect(await ids({ hideEmptyOf: ["email"] })).toEqual([sent, rotated, failed, interrupted, running].sort());
    expect(await ids({})).toEqual([...idle, sent, rotated, failed, interrupted, running].sort());
    expect(await ids({ job: "email", hideEmptyOf: ["email"] })).toEqual([sent]);
    expect(await ids({ status: "failed" })).toEqual([failed]);
    expect(await ids({ status: "interrupted" })).toEqual([interrupted]);
    expect(await ids({ status: "running" })).toEqual([running]);
    expect(await ids({ status: "succeeded", job: "rotation" })).toEqual([rotated]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listRunsPage>> = await listRunsPage({ limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...idle, sent, rotated, failed, interrupted, running].sort());
    await expect(listRunsPage({ cursor: "bad" })).rejects.toMatchObject({ code: "validation_error" });
  });

  it("GET /api/admin/jobs/runs/:runId shows a running run's progress, then its outcome: what the page polls after Run now", async () => {
    const admin = await makeUser("admin");
    const id = await createRun("rotation", "manual", "embedded");
    await setRunProgress(id, 200, 1000, "batch 1");
    const running = await call(getRunRoute as never, { method: "GET", path: `/api/admin/jobs/runs/${id}`, token: admin.token, params: { runId: id } });
    expect(running.json).toMatchObject({ id, job: "rotation", status: "running", progress: { done: 200, total: 1000, step: "batch 1" } });
    await finishRun(id, { status: "succeeded", counts: { due: 1000, rotated: 1000 } });
    const done = await call(getRunRoute as never, { method: "GET", path: `/api/admin/jobs/runs/${id}`, token: admin.token, params: { runId: id } });
    expect(done.json).toMatchObject({ status: "succeeded", counts: { due: 1000, rotated: 1000 } });
    expect(labelledCounts("rotation", done.json.counts).map((c) => `${c.label}: ${c.value}`)).toEqual(["Devices due for a new key: 1000", "Devices rotated: 1000"]);
  });
});
