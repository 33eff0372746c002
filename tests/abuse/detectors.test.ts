import { beforeEach, describe, expect, it } from "vitest";
import { runAllChecks, scanAllUsers } from "@/lib/services/abuse/scan";
import { HOUR, MIN, addReconnects, addSample, addSession, ago, freshNow, incidentsOf, makeSubject, setThresholds } from "./fixtures";

const GB = 1e9;
const MB = 1e6;

async function typesOf(userId: string) {
  return (await incidentsOf(userId)).map((i) => i.incidentType).sort();
}
async function one(userId: string, type: string) {
  const found = (await incidentsOf(userId)).filter((i) => i.incidentType === type);
  expect(found).toHaveLength(1);
  return found[0];
}

beforeEach(() => setThresholds());

describe("excessive bandwidth (bytes up + down in 24 h > threshold, GB = 10^9 bytes)", () => {
  it("flags just over the threshold, not at it, and ignores samples older than 24 h", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const now = freshNow();
    const under = await makeSubject();
    await addSample(under, ago(now, 2 * HOUR), GB / 2, GB / 2); // exactly 1 GB: not more than the threshold
    await addSample(under, ago(now, 25 * HOUR), 50 * GB, 50 * GB); // outside the window
    const over = await makeSubject();
    await addSample(over, ago(now, 3 * HOUR), GB / 2, GB / 2);
    await addSample(over, ago(now, 1 * HOUR), 1, 0);

    const summary = await scanAllUsers({ now });
    expect(summary.found.excessive_bandwidth).toBe(1);
    expect(await typesOf(under.user.id)).not.toContain("excessive_bandwidth");
    const inc = await one(over.user.id, "excessive_bandwidth");
    expect(inc).toMatchObject({ severity: "high", status: "pending", detectionMethod: "automated", actionTaken: "none" });
    expect(inc.description).toBe("1 GB in 24 h (threshold 1 GB)");
    expect(inc.metadata).toMatchObject({
      measure: "totalBytes",
      value: GB + 1,
      threshold: GB,
      comparison: ">",
      criticalAt: 3 * GB,
      totalBytes: GB + 1,
      bytesUp: GB / 2 + 1,
      bytesDown: GB / 2,
      samples: 2,
      windowStart: ago(now, 24 * HOUR).toISOString(),
      windowEnd: now.toISOString(),
      peerIds: [over.peer.id],
      serverIds: [over.server.id],
    });
  });

  it("works at the default 500 GB/day with real-sized byte counts, and escalates to critical at 3x", async () => {
    const now = freshNow();
    const at = await makeSubject();
    await addSample(at, ago(now, 5 * HOUR), 250 * GB, 250 * GB); // exactly 500 GB
    const over = await makeSubject();
    await addSample(over, ago(now, 5 * HOUR), 256 * GB, 256 * GB);
    await addSample(over, ago(now, 4 * HOUR), 50 * GB, 50 * GB); // 612 GB
    const huge = await makeSubject();
    await addSample(huge, ago(now, 23 * HOUR), 750 * GB, 750 * GB); // 1.5 TB = 3 x 500 GB

    await scanAllUsers({ now });
    expect(await typesOf(at.user.id)).toEqual([]);
    const inc = await one(over.user.id, "excessive_bandwidth");
    expect(inc.severity).toBe("high");
    expect(inc.description).toBe("612 GB in 24 h (threshold 500 GB)");
    expect(inc.metadata.value).toBe(612 * GB);
    const critical = await one(huge.user.id, "excessive_bandwidth");
    expect(critical.severity).toBe("critical");
    expect(critical.description).toBe("1.5 TB in 24 h (threshold 500 GB)");
  });
});

describe("rapid reconnects (sessions started in 1 h > RAPID_RECONNECT_COUNT: '50 connections/hour' is allowed)", () => {
  it("does not flag 50 sessions in the hour, flags 51", async () => {
    const now = freshNow();
    const fifty = await makeSubject();
    await addReconnects(fifty, now, 50);
    await addSession(fifty, { start: ago(now, 61 * MIN), end: ago(now, 60.5 * MIN) }); // started before the hour
    const fiftyOne = await makeSubject();
    await addReconnects(fiftyOne, now, 51);

    await scanAllUsers({ now });
    expect(await typesOf(fifty.user.id)).toEqual([]);
    const inc = await one(fiftyOne.user.id, "rapid_reconnects");
    expect(inc.severity).toBe("medium");
    expect(inc.description).toBe("51 connections in 1 h (threshold 50 connections/hour)");
    expect(inc.metadata).toMatchObject({ sessionsStarted: 51, threshold: 50, comparison: ">", clientIps: ["198.51.100.20"], clientIpCount: 1 });
    expect((inc.metadata.sessionIds as string[]).length).toBe(20); // capped list, exact count above
  });

  it("honours a configured threshold", async () => {
    setThresholds({ RAPID_RECONNECT_COUNT: "3" });
    const now = freshNow();
    const s = await makeSubject();
    await addReconnects(s, now, 3);
    await runAllChecks(s.user.id, { now });
    expect(await typesOf(s.user.id)).toEqual([]);
    await addReconnects(s, new Date(now.getTime() + 1000), 1);
    await runAllChecks(s.user.id, { now: new Date(now.getTime() + 2000) });
    expect(await typesOf(s.user.id)).toEqual(["rapid_reconnects"]);
  });
});

describe("concurrent connections (peak sessions open at once in the last hour > MAX_CONCURRENT_CONNECTIONS)", () => {
  it("counts overlap, not sessions: two at once is the limit, three at once is over", async () => {
    setThresholds({ MAX_CONCURRENT_CONNECTIONS: "2" });
    const now = freshNow();
    const under = await makeSubject(3);
    await addSession(under, { start: ago(now, 50 * MIN), end: ago(now, 30 * MIN), ip: "203.0.113.1", peerIndex: 0 });
    await addSession(under, { start: ago(now, 45 * MIN), end: ago(now, 35 * MIN), ip: "203.0.113.2", peerIndex: 1 });
    await addSession(under, { start: ago(now, 20 * MIN), end: ago(now, 10 * MIN), ip: "203.0.113.3", peerIndex: 2 }); // after the others ended

    const over = await makeSubject(3);
    const a = await addSession(over, { start: ago(now, 40 * MIN), end: null, lastSeen: ago(now, 0.5 * MIN), ip: "203.0.113.1", peerIndex: 0 }); // live
    const b = await addSession(over, { start: ago(now, 30 * MIN), end: ago(now, 5 * MIN), ip: "203.0.113.2", peerIndex: 1 });
    const c = await addSession(over, { start: ago(now, 20 * MIN), end: ago(now, 10 * MIN), ip: "203.0.113.3", peerIndex: 2 });

    await scanAllUsers({ now });
    expect(await typesOf(under.user.id)).not.toContain("concurrent_connections");
    const inc = await one(over.user.id, "concurrent_connections");
    expect(inc.severity).toBe("high");
    expect(inc.description).toBe("3 simultaneous connections from 3 client IPs (limit 2)");
    expect(inc.metadata).toMatchObject({ peakConcurrent: 3, peakAt: ago(now, 20 * MIN).toISOString(), clientIps: ["203.0.113.1", "203.0.113.2", "203.0.113.3"], clientIpCount: 3 });
    expect(inc.metadata.sessionIds).toEqual([a, b, c]);
  });

  it("treats an open session that went stale as ended at its last sighting", async () => {
    setThresholds({ MAX_CONCURRENT_CONNECTIONS: "1" });
    const now = freshNow();
    const s = await makeSubject(2);
    await addSession(s, { start: ago(now, 50 * MIN), end: null, lastSeen: ago(now, 40 * MIN), ip: "203.0.113.1", peerIndex: 0 }); // server went silent
    await addSession(s, { start: ago(now, 30 * MIN), end: null, lastSeen: ago(now, 0.2 * MIN), ip: "203.0.113.2", peerIndex: 1 });
    await runAllChecks(s.user.id, { now });
    expect(await typesOf(s.user.id)).not.toContain("concurrent_connections");
  });
});

describe("suspicious traffic ratio (up/down or down/up > SUSPICIOUS_TRAFFIC_RATIO over SUSPICIOUS_TRAFFIC_MIN_MB)", () => {
  it("flags just over 10:1, not exactly 10:1, and never a tiny or idle volume", async () => {
    const now = freshNow();
    const exact = await makeSubject();
    await addSample(exact, ago(now, 2 * HOUR), 100 * MB, 10 * MB);
    const tiny = await makeSubject();
    await addSample(tiny, ago(now, 2 * HOUR), 99 * MB, 0); // extreme ratio but under 100 MB
    const idle = await makeSubject();
    await addSample(idle, ago(now, 2 * HOUR), 0, 0);
    const over = await makeSubject();
    await addSample(over, ago(now, 2 * HOUR), 101 * MB, 10 * MB);

    await scanAllUsers({ now });
    for (const s of [exact, tiny, idle]) expect(await typesOf(s.user.id)).toEqual([]);
    const inc = await one(over.user.id, "suspicious_traffic_pattern");
    expect(inc.severity).toBe("medium");
    expect(inc.description).toBe("Upload/download ratio 10.1:1 over 111 MB in 24 h (threshold 10:1)");
    expect(inc.metadata).toMatchObject({ ratio: 10.1, dominant: "upload", oneDirectional: false, threshold: 10, minimumVolumeBytes: 100 * MB, bytesUp: 101 * MB, bytesDown: 10 * MB });
  });

  it("catches download-heavy and one-directional traffic; 3x the ratio is critical", async () => {
    setThresholds({ SUSPICIOUS_TRAFFIC_MIN_MB: "50" });
    const now = freshNow();
    const down = await makeSubject();
    await addSample(down, ago(now, 3 * HOUR), 4 * MB, 60 * MB); // 15:1 down
    const oneWay = await makeSubject();
    await addSample(oneWay, ago(now, 3 * HOUR), 80 * MB, 0);
    await scanAllUsers({ now });
    const d = await one(down.user.id, "suspicious_traffic_pattern");
    expect(d.severity).toBe("medium");
    expect(d.description).toBe("Download/upload ratio 15:1 over 64 MB in 24 h (threshold 10:1)");
    const o = await one(oneWay.user.id, "suspicious_traffic_pattern");
    expect(o.severity).toBe("critical");
    expect(o.description).toBe("Upload only: 80 MB up, 0 B down in 24 h (threshold 10:1)");
    expect(o.metadata).toMatchObject({ ratio: null, value: null, oneDirectional: true });
  });
});

describe("account sharing (distinct client IPs in 1 h >= ACCOUNT_SHARING_THRESHOLD: '3+ unique IPs')", () => {
  it("does not flag 2 addresses, flags 3 across sessions and samples, ignores older ones", async () => {
    const now = freshNow();
    const two = await makeSubject();
    await addSession(two, { start: ago(now, 30 * MIN), end: ago(now, 20 * MIN), ip: "192.0.2.1" });
    await addSample(two, ago(now, 10 * MIN), 10, 10, "192.0.2.2");
    await addSample(two, ago(now, 2 * HOUR), 10, 10, "192.0.2.9"); // outside the hour
    const three = await makeSubject();
    const sid = await addSession(three, { start: ago(now, 30 * MIN), end: ago(now, 20 * MIN), ip: "192.0.2.1" });
    await addSample(three, ago(now, 10 * MIN), 10, 10, "192.0.2.2");
    await addSample(three, ago(now, 5 * MIN), 10, 10, "192.0.2.3");

    await scanAllUsers({ now });
    expect(await typesOf(two.user.id)).toEqual([]);
    const inc = await one(three.user.id, "account_sharing");
    expect(inc.severity).toBe("high");
    expect(inc.description).toBe("3 distinct client IPs in 1 h (threshold 3)");
    expect(inc.metadata).toMatchObject({ distinctIps: 3, comparison: ">=", clientIps: ["192.0.2.1", "192.0.2.2", "192.0.2.3"], sessionIds: [sid], sessionCount: 1, sampleCount: 2 });
  });

  it("caps the evidence lists but keeps exact counts; 3x the threshold is critical", async () => {
    const now = freshNow();
    const s = await makeSubject();
    for (let i = 1; i <= 25; i++) await addSample(s, ago(now, i * MIN), 1, 1, `192.0.2.${i}`);
    await runAllChecks(s.user.id, { now });
    const inc = await one(s.user.id, "account_sharing");
    expect(inc.severity).toBe("critical");
    expect(inc.metadata.distinctIps).toBe(25);
    expect(inc.metadata.clientIps).toHaveLength(20);
    expect(inc.metadata.listCap).toBe(20);
  });
});

describe("runAllChecks(user)", () => {
  it("runs the same detectors narrowed to one user and touches no one else", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const now = freshNow();
    const a = await makeSubject();
    const b = await makeSubject();
    for (const s of [a, b]) await addSample(s, ago(now, HOUR), GB, GB);
    const summary = await runAllChecks(a.user.id, { now });
    expect(summary).toMatchObject({ scannedUsers: 1, created: 1 });
    expect(summary.found.excessive_bandwidth).toBe(1);
    expect(await typesOf(a.user.id)).toEqual(["excessive_bandwidth"]);
    expect(await typesOf(b.user.id)).toEqual([]);
  });
});
