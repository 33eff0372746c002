import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs } from "@/db/schema";
import { abuseJob } from "@/lib/jobs/abuse";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { getJob } from "@/lib/jobs/registry";
import { getRun } from "@/lib/jobs/runs";
import { triggerJob } from "@/lib/jobs/trigger";
import { scanAllUsers } from "@/lib/services/abuse/scan";
import { scanUserByUser } from "../../bench/abuse-baseline";
import { makeUser } from "../support/factories";
import { HOUR, MIN, addReconnects, addSample, addSession, ago, freshNow, makeSubject, setThresholds } from "./fixtures";

const GB = 1e9;

beforeEach(() => setThresholds());
afterEach(() => waitForInFlightRuns());

describe("the abuse job", () => {
  it("is registered hourly and records scanned users, found per detector, created and suspended, with progress", async () => {
    expect(getJob("abuse")).toBe(abuseJob);
    expect(abuseJob.cron).toBe("0 * * * *");
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1", ABUSE_AUTO_SUSPEND: "account_sharing" });
    const now = new Date();
    const heavy = await makeSubject();
    await addSample(heavy, ago(now, 10 * MIN), GB, GB);
    const sharer = await makeSubject();
    for (const [i, ip] of ["192.0.2.1", "192.0.2.2", "192.0.2.3"].entries()) await addSample(sharer, ago(now, (i + 1) * MIN), 10, 10, ip);
    const quiet = await makeSubject();
    await addSample(quiet, ago(now, 20 * MIN), 100, 100);

    const run = await executeJob(abuseJob, { trigger: "manual", runner: "embedded" });
    expect(run).toMatchObject({ job: "abuse", status: "succeeded", error: null });
    expect(run!.counts).toEqual({
      scannedUsers: 3,
      foundExcessiveBandwidth: 1,
      foundRapidReconnects: 0,
      foundConcurrentConnections: 0,
      foundSuspiciousTrafficPattern: 0,
      foundAccountSharing: 1,
      created: 2,
      critical: 0,
      suspended: 1,
      throttled: 0,
    });
    expect(run!.progress).toEqual({ done: 6, total: 6, step: "done" });

    // Run now (what POST /api/admin/jobs/abuse/run and the Jobs page do): the open incidents are not duplicated.
    const admin = await makeUser("admin");
    const { runId } = await triggerJob("abuse", admin.actor);
    await waitForInFlightRuns();
    const again = await getRun(runId);
    expect(again).toMatchObject({ status: "succeeded", trigger: "manual" });
    expect(again!.counts).toMatchObject({ scannedUsers: 3, foundExcessiveBandwidth: 1, foundAccountSharing: 1, created: 0, suspended: 0 });
  });
});

describe("the benchmark's baseline", () => {
  it("scanUserByUser (the per-user baseline) finds exactly what the set-based scanAllUsers finds", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1", RAPID_RECONNECT_COUNT: "3", MAX_CONCURRENT_CONNECTIONS: "1" });
    const now = freshNow();
    const subjects = [];
    for (let i = 0; i < 6; i++) subjects.push(await makeSubject(2));
    await addSample(subjects[0], ago(now, HOUR), 2 * GB, 2 * GB);
    await addReconnects(subjects[1], now, 4);
    await addSession(subjects[2], { start: ago(now, 30 * MIN), end: ago(now, 5 * MIN), ip: "203.0.113.1", peerIndex: 0 });
    await addSession(subjects[2], { start: ago(now, 20 * MIN), end: ago(now, 10 * MIN), ip: "203.0.113.2", peerIndex: 1 });
    await addSample(subjects[3], ago(now, 2 * HOUR), 500e6, 1e6);
    for (const ip of ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]) await addSample(subjects[4], ago(now, 10 * MIN), 5, 5, ip);
    await addSample(subjects[5], ago(now, HOUR), 1000, 1000);
    const ids = subjects.map((s) => s.user.id);
    const db = await getDb();
    const snapshot = async () =>
      (await db.select().from(abuseDetectionLogs).where(inArray(abuseDetectionLogs.userId, ids)))
        .map((i) => `${i.userId} ${i.incidentType} ${i.severity} ${i.description} ${JSON.stringify(i.metadata)}`)
        .sort();

    const baseline = await scanUserByUser({ now });
    const perUser = await snapshot();
    await db.delete(abuseDetectionLogs).where(inArray(abuseDetectionLogs.userId, ids));
    const setBased = await scanAllUsers({ now });
    expect(await snapshot()).toEqual(perUser);
    expect(perUser).toHaveLength(5); // one per detector; subject 5 is under every threshold
    expect(setBased.found).toEqual(baseline.found);
    expect(setBased.scannedUsers).toBe(baseline.scannedUsers);
    expect(setBased.created).toBe(baseline.created);
  });
});
