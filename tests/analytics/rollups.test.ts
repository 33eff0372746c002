import { describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { resetEnv } from "@/lib/env";
import { getDb, getDbHandle, rows } from "@/db/client";
import { inPart, inUserParts } from "@/db/analytics-transaction";
import { connectionSessions, dailyUsageMetrics, systemMetrics, userUsageStats } from "@/db/schema";
import { createPeer } from "@/lib/services/peers";
import { ingestDump } from "@/lib/services/telemetry";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

const at = (s: string) => new Date(s);

async function fixture() {
  const server = await makeServer();
  const u = await makeUser();
  const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
  // Traffic: three pushes around midnight UTC, the last after an interface restart (counters drop).
  const push = (time: string, rx: number, tx: number) =>
    ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, rx, tx }]), at(time));
  await push("2026-11-10T23:40:00Z", 1000, 4000); // +1000 up, +4000 down on the 10th
  await push("2026-11-11T00:10:00Z", 3000, 9000); // +2000, +5000 on the 11th
  await push("2026-11-11T00:20:00Z", 500, 100); // restart: +500, +100
  // Sessions: one across midnight, one in the morning, one that never received anything (a failure).
  const db = await getDb();
  await db.insert(connectionSessions).values([
    { peerId: peer.id, userId: u.id, serverId: server.id, clientIp: "198.51.100.1", startedAt: at("2026-11-10T23:30:00Z"), lastSeenAt: at("2026-11-11T00:30:00Z"), endedAt: at("2026-11-11T00:30:00Z"), bytesUp: 3500, bytesDown: 9100 },
    { peerId: peer.id, userId: u.id, serverId: server.id, clientIp: "198.51.100.1", startedAt: at("2026-11-11T10:00:00Z"), lastSeenAt: at("2026-11-11T10:20:00Z"), endedAt: at("2026-11-11T10:20:00Z"), bytesUp: 0, bytesDown: 0 },
  ]);
  return { server, u, peer };
}

describe("rollups", () => {
  it("daily metrics: UTC days, a session over midnight counted on both days, counter resets handled, idempotent", async () => {
    const { u } = await fixture();
    await rollupDailyUsage("2026-11-10", "2026-11-12");
    await rollupDailyUsage("2026-11-10", "2026-11-12"); // a second run changes nothing
    const db = await getDb();
    const days = await db.select().from(dailyUsageMetrics).where(eq(dailyUsageMetrics.userId, u.id)).orderBy(dailyUsageMetrics.date);
    expect(days.map((d) => [d.date, d.connections, d.connectionSeconds, d.bytesUploaded, d.bytesDownloaded, d.serversUsed])).toEqual([
      ["2026-11-10", 1, 1800, 1000, 4000, 1],
      ["2026-11-11", 1, 1800 + 1200, 2500, 5100, 1],
    ]);
    expect(days[1]!.avgThroughputBps).toBeCloseTo((2500 + 5100) / 3000);
    expect(days[0]!.avgLatencyMs).toBeNull();
  });

  it("daily metrics of a range that starts mid-session; sessions over several days, on two servers, still open", async () => {
    const { u, peer } = await fixture();
    const other = await makeServer();
    const db = await getDb();
    await db.insert(connectionSessions).values([
      // on a second server, on the 11th: 10 minutes
      { peerId: peer.id, userId: u.id, serverId: other.id, clientIp: "198.51.100.2", startedAt: at("2026-11-11T12:00:00Z"), lastSeenAt: at("2026-11-11T12:10:00Z"), endedAt: at("2026-11-11T12:10:00Z"), bytesUp: 0, bytesDown: 0 },
      // still open (no end): from 22:00 on the 12th, last seen 02:00 on the 14th — spans three days
      { peerId: peer.id, userId: u.id, serverId: other.id, clientIp: "198.51.100.2", startedAt: at("2026-11-12T22:00:00Z"), lastSeenAt: at("2026-11-14T02:00:00Z"), endedAt: null, bytesUp: 0, bytesDown: 0 },
    ]);
    // Only the 11th to the 13th: the session over the 10th/11th midnight counts its part on the 11th, not as a connection.
    await rollupDailyUsage("2026-11-11", "2026-11-14");
    const days = await db.select().from(dailyUsageMetrics).where(eq(dailyUsageMetrics.userId, u.id)).orderBy(dailyUsageMetrics.date);
    expect(days.map((d) => [d.date, d.connections, d.connectionSeconds, d.serversUsed])).toEqual([
      ["2026-11-11", 2, 1800 + 1200 + 600, 2],
      ["2026-11-12", 1, 7200, 1],
      ["2026-11-13", 0, 86_400, 1],
    ]);
  });

  it("user stats from sessions, daily metrics, sign-ins and subscriptions", async () => {
    const { u, server } = await fixture();
    await rollupDailyUsage("2026-11-10", "2026-11-12");
    const now = at("2026-11-20T12:00:00Z");
    expect(await rollupUserStats({ userId: u.id, now })).toBe(1);
    await rollupUserStats({ userId: u.id, now });
    const db = await getDb();
    const [s] = await db.select().from(userUsageStats).where(eq(userUsageStats.userId, u.id));
    expect(s).toMatchObject({
      totalConnections: 2,
      activeConnections: 0,
      totalConnectionSeconds: 3600 + 1200,
      avgSessionSeconds: 2400,
      lastConnectionAt: at("2026-11-11T10:00:00Z"),
      totalBytesUploaded: 3500,
      totalBytesDownloaded: 9100,
      currentMonthBytes: 3500 + 9100,
      favoriteServerId: server.id,
      uniqueServersUsed: 1,
      serverSwitchCount: 0,
      connectionFailures: 1,
      connectionSuccessRate: 0.5,
      currentTier: "free",
      totalTickets: 0,
      avgLatencyMs: null,
    });
    expect(s!.totalDataGb).toBeCloseTo(12600 / 1e9);
  });

  it("server switches: marked by the push that opens a session on another server than the user's previous one", async () => {
    const u = await makeUser();
    const [s1, s2] = [await makeServer(), await makeServer()];
    const laptop = await createPeer(u.actor, { serverId: s1.id, deviceName: "laptop", deviceType: "linux" });
    const phone = await createPeer(u.actor, { serverId: s2.id, deviceName: "phone", deviceType: "ios" });
    const push = (serverId: string, publicKey: string, time: string, endpoint: string, rx: number) =>
      ingestDump(serverId, makeDump([{ publicKey, endpoint, handshake: at(time), rx, tx: rx }]), at(time));
    await push(s1.id, laptop.publicKey, "2026-11-12T08:00:00Z", "198.51.100.7:1000", 100); // first session: nothing before it
    await push(s2.id, phone.publicKey, "2026-11-12T09:00:00Z", "198.51.100.8:1000", 100); // other server: a switch
    await push(s2.id, phone.publicKey, "2026-11-12T09:01:00Z", "198.51.100.8:1000", 200); // goes on: no new session
    await push(s1.id, laptop.publicKey, "2026-11-12T10:00:00Z", "203.0.113.9:1000", 300); // back on the first server: a switch
    await push(s1.id, laptop.publicKey, "2026-11-12T11:00:00Z", "203.0.113.10:1000", 400); // same server, client moved: not a switch
    // Two devices coming up on the second server in one push: one switch, the later one follows it on the same server.
    const tablet = await createPeer(u.actor, { serverId: s2.id, deviceName: "tablet", deviceType: "android" });
    await ingestDump(
      s2.id,
      makeDump([
        { publicKey: phone.publicKey, endpoint: "198.51.100.18:1000", handshake: at("2026-11-12T12:00:05Z"), rx: 500, tx: 500 }, // moved: a new session
        { publicKey: tablet.publicKey, endpoint: "198.51.100.9:1000", handshake: at("2026-11-12T12:00:00Z"), rx: 50, tx: 50 },
      ]),
      at("2026-11-12T12:01:00Z"),
    );
    const db = await getDb();
    const sessions = await db.select().from(connectionSessions).where(eq(connectionSessions.userId, u.id)).orderBy(connectionSessions.startedAt);
    expect(sessions.map((x) => [x.serverId, x.peerId, x.switchedServer])).toEqual([
      [s1.id, laptop.id, false],
      [s2.id, phone.id, true],
      [s1.id, laptop.id, true],
      [s1.id, laptop.id, false],
      [s2.id, tablet.id, true],
      [s2.id, phone.id, false],
    ]);
    await rollupUserStats({ userId: u.id, now: at("2026-11-20T00:00:00Z") });
    const [stats] = await db.select().from(userUsageStats).where(eq(userUsageStats.userId, u.id));
    expect(stats).toMatchObject({ totalConnections: 6, uniqueServersUsed: 2, serverSwitchCount: 3 });
  });

  it("rolled up in parts (one statement per range of user ids, at once on PostgreSQL), the rows are those of one statement", async () => {
    const made = await Promise.all([fixture(), fixture(), fixture(), fixture(), fixture()]);
    const ids = made.map((m) => m.u.id);
    const db = await getDb();
    const now = at("2026-11-20T12:00:00Z");
    const rollup = async (parallelism: string) => {
      resetEnv({ ANALYTICS_PARALLELISM: parallelism });
      await db.delete(dailyUsageMetrics).where(inArray(dailyUsageMetrics.userId, ids));
      await rollupDailyUsage("2026-11-10", "2026-11-12");
      await rollupUserStats({ now });
      const days = await db.select().from(dailyUsageMetrics).where(inArray(dailyUsageMetrics.userId, ids)).orderBy(dailyUsageMetrics.userId, dailyUsageMetrics.date);
      const stats = await db.select().from(userUsageStats).where(inArray(userUsageStats.userId, ids)).orderBy(userUsageStats.userId);
      const strip = <T extends { updatedAt: Date }>(r: T) => ({ ...r, updatedAt: null });
      return { days: days.map(strip), stats: stats.map(strip) };
    };
    try {
      const one = await rollup("1");
      const three = await rollup("3");
      expect(one.days).toHaveLength(10);
      expect(three).toEqual(one);
    } finally {
      resetEnv({ ANALYTICS_PARALLELISM: undefined });
    }
  });

  it("the parts split the users: each one in exactly one part, the parts about even", async () => {
    await Promise.all(Array.from({ length: 12 }, () => makeUser()));
    const db = await getDb();
    const handle = await getDbHandle();
    resetEnv({ ANALYTICS_PARALLELISM: "3" });
    try {
      const parts = await inUserParts((tx, part) => rows<{ id: string }>(tx, sql`select id from users where ${inPart(sql`id`, part)}`));
      const all = await rows<{ id: string }>(db, sql`select id from users`);
      expect(parts).toHaveLength(handle.kind === "pglite" ? 1 : 3);
      expect(parts.flat().map((r) => r.id).sort()).toEqual(all.map((r) => r.id).sort());
      for (const p of parts) expect(p.length).toBeGreaterThanOrEqual(Math.floor(all.length / parts.length) - 1);
    } finally {
      resetEnv({ ANALYTICS_PARALLELISM: undefined });
    }
  });

  it("the system snapshot is one row per hour, replaced by a re-run", async () => {
    await fixture();
    const now = at("2026-11-11T00:45:00Z");
    const first = await snapshotSystemMetrics(now);
    await snapshotSystemMetrics(new Date(now.getTime() + 60_000));
    expect(first.timestamp).toBe("2026-11-11T00:00:00.000Z");
    const db = await getDb();
    const snaps = await db.select().from(systemMetrics).where(and(eq(systemMetrics.timestamp, at(first.timestamp))));
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.totalUsers).toBeGreaterThanOrEqual(1);
    expect(snaps[0]!.activeUsers24h).toBeGreaterThanOrEqual(1);
    expect(snaps[0]!.bandwidth24hBytes).toBeGreaterThanOrEqual(1000 + 4000 + 2000 + 5000 + 500 + 100);
    expect(snaps[0]!.totalServers).toBeGreaterThanOrEqual(1);
  });

  it("active users of the snapshot: latest sighting within 24 hours, 7 days, 30 days", async () => {
    const { server, peer } = await fixture();
    const t = at("2027-06-01T12:00:00Z");
    const ago = (h: number) => new Date(t.getTime() - h * 3_600_000);
    const db = await getDb();
    const users = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
    // 2 h, 3 days, 20 days and 40 days before; the first user also had an older session (counted once).
    const lastSeen = [2, 72, 480, 960];
    await db.insert(connectionSessions).values([
      ...users.map((u, i) => ({ peerId: peer.id, userId: u.id, serverId: server.id, clientIp: null, startedAt: ago(lastSeen[i]! + 1), lastSeenAt: ago(lastSeen[i]!), endedAt: ago(lastSeen[i]!) })),
      { peerId: peer.id, userId: users[0]!.id, serverId: server.id, clientIp: null, startedAt: ago(100), lastSeenAt: ago(99), endedAt: ago(99) },
    ]);
    await snapshotSystemMetrics(t);
    const [snap] = await db.select().from(systemMetrics).where(eq(systemMetrics.timestamp, at("2027-06-01T12:00:00Z")));
    expect([snap!.activeUsers24h, snap!.activeUsers7d, snap!.activeUsers30d]).toEqual([1, 2, 3]);
  });
});
