// Round trips measured by the agent over the tunnel: pushed after the dump as
// `# securewave: rtt <key> <ms>` lines, stored as samples, shown on the
// device (`latencyMs`) and rolled up per user and day like the rest.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { dailyUsageMetrics, latencySamples, userUsageStats } from "@/db/schema";
import { ingestDump, sweepTelemetry } from "@/lib/services/telemetry";
import { createPeer, getPeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { parseWgDump, MAX_RTT_MS } from "@/lib/wireguard/dump";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

const rtt = (key: string, ms: string | number) => `# securewave: rtt ${key} ${ms}\n`;

describe("rtt lines in a stats push", () => {
  const peer = generateKeyPair().publicKey;
  const other = generateKeyPair().publicKey;
  const now = new Date();
  const dump = makeDump([{ publicKey: peer, handshake: now }]);

  it("a plain dump still parses, with no round trips", () => {
    const r = parseWgDump(dump, now);
    expect(r.ok && r.rtts).toEqual([]);
  });

  it("reads round trips of peers in the same push; ignores other directives and unknown keys", () => {
    const r = parseWgDump(dump + rtt(peer, "0.412") + "# securewave: something-newer 1 2 3\n" + rtt(other, 3), now);
    expect(r.ok).toBe(true);
    expect(r.ok && r.rtts).toEqual([{ publicKey: peer, rttMs: 0.412 }]);
  });

  it.each([
    ["a negative figure", rtt(peer, "-1")],
    ["a figure past the limit", rtt(peer, MAX_RTT_MS + 1)],
    ["not a number", rtt(peer, "NaN")],
    ["an exponent", rtt(peer, "1e3")],
    ["a bad key", rtt("not-a-key", "1")],
    ["a missing figure", `# securewave: rtt ${peer}\n`],
    ["a NUL byte", rtt(peer, "1\u0000")],
  ])("rejects the whole push on %s, naming the line", (_label, line) => {
    const r = parseWgDump(dump + line, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.line).toBe(3);
  });

  it("a directive cannot stand in for the interface line", () => {
    expect(parseWgDump(rtt(peer, 1) + dump, now).ok).toBe(false);
  });
});

describe("latency from the agent's pushes", () => {
  it("is stored per push, shown on the device, pruned with the samples, rolled up per day and user", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    const quiet = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    expect((await getPeer(u.actor, peer.id)).latencyMs).toBeNull();

    const t0 = new Date("2026-11-20T10:00:00Z");
    const t1 = new Date("2026-11-20T10:01:00Z");
    const lines = (at: Date, rx: number) => makeDump([
      { publicKey: peer.publicKey, handshake: at, rx, tx: rx },
      { publicKey: quiet.publicKey, handshake: at, rx, tx: rx },
    ]);
    await ingestDump(server.id, lines(t0, 100) + rtt(peer.publicKey, "20.5"), t0);
    await ingestDump(server.id, lines(t1, 200) + rtt(peer.publicKey, "30.5"), t1);

    const shown = await getPeer(u.actor, peer.id);
    expect(shown.latencyMs).toBe(30.5);
    expect(shown.latencyMeasuredAt).toBe(t1.toISOString());
    // A device that did not answer stays unmeasured.
    expect((await getPeer(u.actor, quiet.id)).latencyMs).toBeNull();

    const db = await getDb();
    const samples = await db.select().from(latencySamples).where(eq(latencySamples.userId, u.id));
    expect(samples.map((s) => [s.peerId, s.rttMs])).toEqual([[peer.id, 20.5], [peer.id, 30.5]]);

    await rollupDailyUsage("2026-11-20", "2026-11-21");
    const [day] = await db.select().from(dailyUsageMetrics).where(eq(dailyUsageMetrics.userId, u.id));
    expect(day!.avgLatencyMs).toBeCloseTo(25.5);
    await rollupUserStats({ userId: u.id, now: new Date("2026-11-21T00:00:00Z") });
    const [stats] = await db.select().from(userUsageStats).where(eq(userUsageStats.userId, u.id));
    expect(stats!.avgLatencyMs).toBeCloseTo(25.5);

    await sweepTelemetry(new Date("2026-12-30T00:00:00Z"), 30);
    expect(await db.select().from(latencySamples).where(eq(latencySamples.userId, u.id))).toEqual([]);
  });

  it("a device measured on its old and new key during a rotation's grace gets one sample", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    const rotated = await rotatePeer(u.actor, peer.id);
    const at = new Date();
    const body = makeDump([
      { publicKey: peer.publicKey, handshake: at, rx: 1, tx: 1 },
      { publicKey: rotated.publicKey, handshake: null, rx: 0, tx: 0 },
    ]) + rtt(peer.publicKey, 12) + rtt(rotated.publicKey, 8);
    await ingestDump(server.id, body, at);
    const db = await getDb();
    const samples = await db.select().from(latencySamples).where(eq(latencySamples.peerId, peer.id));
    expect(samples.map((s) => s.rttMs)).toEqual([8]);
    expect((await getPeer(u.actor, peer.id)).latencyMs).toBe(8);
  });
});
