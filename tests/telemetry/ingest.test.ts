import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { connectionSessions, peerLiveStats, trafficSamples, vpnServers } from "@/db/schema";
import { ingestDump, REPLAY_WINDOW_MINUTES, sweepTelemetry } from "@/lib/services/telemetry";
import { createPeer, getPeer, listPeers } from "@/lib/services/peers";
import { takeDeviceSnapshot } from "@/lib/services/support/devices";
import { getSystemPeerStats } from "@/lib/dal/peer-stats";
import { systemActor } from "@/lib/auth/actor";
import { peerStats } from "@/lib/vpn/peer-stats";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { serverHealth } from "@/lib/vpn/health";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

const minutes = (base: Date, m: number) => new Date(base.getTime() + m * 60_000);

async function setup() {
  const server = await makeServer();
  const u = await makeUser();
  const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
  return { server, u, peer };
}

describe("telemetry ingest", () => {
  it("turns running counters into totals: a drop is an interface restart, never a negative delta", async () => {
    const { server, u, peer } = await setup();
    const t0 = new Date("2026-11-20T10:00:00Z");
    const push = (m: number, rx: number, tx: number) =>
      ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, endpoint: "198.51.100.7:41000", handshake: minutes(t0, m), rx, tx }]), minutes(t0, m));
    expect(await push(0, 1000, 2000)).toEqual({ peers: 1, unknown: 0, replay: false });
    await push(1, 1500, 2600);
    await push(2, 200, 100); // restart: counters start again from zero
    await push(3, 300, 400);
    const p = await getPeer(u.actor, peer.id);
    expect(p.bytesSent).toBe(1000 + 500 + 200 + 100);
    expect(p.bytesReceived).toBe(2000 + 600 + 100 + 300);
    expect(p.endpoint).toBe("198.51.100.7:41000");
    expect(p.lastHandshakeAt).toBe(minutes(t0, 3).toISOString());
    const db = await getDb();
    const samples = await db.select().from(trafficSamples).where(eq(trafficSamples.peerId, peer.id));
    expect(samples.map((s) => [s.bytesUp, s.bytesDown])).toEqual([[1000, 2000], [500, 600], [200, 100], [100, 300]]);
    expect(samples.every((s) => s.clientIp === "198.51.100.7")).toBe(true);
  });

  it("does not count a replayed push twice, even an older one arriving after a newer", async () => {
    const { server, u, peer } = await setup();
    const t0 = new Date("2026-11-20T11:00:00Z");
    const a = makeDump([{ publicKey: peer.publicKey, handshake: t0, rx: 1000, tx: 1000 }]);
    const b = makeDump([{ publicKey: peer.publicKey, handshake: minutes(t0, 1), rx: 2000, tx: 3000 }]);
    await ingestDump(server.id, a, t0);
    expect((await ingestDump(server.id, a, minutes(t0, 0.5))).replay).toBe(true);
    await ingestDump(server.id, b, minutes(t0, 1));
    expect((await ingestDump(server.id, a, minutes(t0, 1.5))).replay).toBe(true);
    const p = await getPeer(u.actor, peer.id);
    expect([p.bytesSent, p.bytesReceived]).toEqual([2000, 3000]);
  });

  it("counts unknown keys and ignores them; every push is a heartbeat", async () => {
    const { server, peer } = await setup();
    const stranger = generateKeyPair().publicKey;
    const now = new Date();
    const r = await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, rx: 5 }, { publicKey: stranger, rx: 9 }]), now);
    expect(r).toEqual({ peers: 2, unknown: 1, replay: false });
    const db = await getDb();
    const [s] = await db.select().from(vpnServers).where(eq(vpnServers.id, server.id));
    expect(serverHealth(s.lastHeartbeatAt, now)).toBe("healthy");
    expect(await db.select().from(trafficSamples).where(sql`${trafficSamples.serverId} = ${server.id}`)).toHaveLength(1);
  });

  it("rejects a malformed dump whole, saying which line, and changes nothing", async () => {
    const { server, peer } = await setup();
    const good = makeDump([{ publicKey: peer.publicKey, rx: 100 }]);
    const bad = good + "garbage\tline\n";
    const err = await ingestDump(server.id, bad).catch((e) => e);
    expect(err.code).toBe("validation_error");
    expect(err.message).toMatch(/line 3/);
    const db = await getDb();
    const [s] = await db.select().from(vpnServers).where(eq(vpnServers.id, server.id));
    expect(s.lastHeartbeatAt).toBeNull();
    expect(await db.select().from(trafficSamples).where(eq(trafficSamples.serverId, server.id))).toHaveLength(0);
  });

  it("never stores the server's private key from the interface line", async () => {
    const { server, peer } = await setup();
    const secret = generateKeyPair().privateKey;
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, rx: 1, handshake: new Date() }], { privateKey: secret }));
    const db = await getDb();
    const tables = await rows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = 'public'`);
    for (const { table_name } of tables) {
      const found = await rows(db, sql`select 1 from ${sql.identifier(table_name)} t where row_to_json(t)::text like ${"%" + secret + "%"} limit 1`);
      expect(found, table_name).toHaveLength(0);
    }
  });

  it("opens a session on a recent handshake, ends it when stale, and starts a new one on a new client address", async () => {
    const { server, peer } = await setup();
    const t0 = new Date("2026-11-20T12:00:00Z");
    const push = (m: number, hsMin: number, ip: string, rx: number) =>
      ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, endpoint: `${ip}:5000`, handshake: minutes(t0, hsMin), rx, tx: rx }]), minutes(t0, m));
    await push(0, 0, "203.0.113.1", 100);
    await push(1, 1, "203.0.113.1", 300);
    await push(2, 2, "203.0.113.1", 600);
    await push(6, 2, "203.0.113.1", 600); // handshake now 4 minutes old: stale
    await push(7, 7, "203.0.113.9", 900); // back, from another address
    const db = await getDb();
    const sessions = await db.select().from(connectionSessions).where(eq(connectionSessions.peerId, peer.id)).orderBy(connectionSessions.startedAt);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ clientIp: "203.0.113.1", startedAt: t0, endedAt: minutes(t0, 2), bytesUp: 600, bytesDown: 600 });
    expect(sessions[1]).toMatchObject({ clientIp: "203.0.113.9", endedAt: null, bytesUp: 300 });
    // a silent server's sessions are closed by the sweep
    const swept = await sweepTelemetry(minutes(t0, 20), 90);
    expect(swept.closed).toBeGreaterThanOrEqual(1);
    const [open] = await db.select().from(connectionSessions).where(sql`${connectionSessions.peerId} = ${peer.id} and ${connectionSessions.endedAt} is null`);
    expect(open).toBeUndefined();
  });

  it("keeps a device's live figures in a row of its own, made with the device; without it the device reads as never connected", async () => {
    const { server, u, peer } = await setup();
    const db = await getDb();
    const liveRow = () => db.select().from(peerLiveStats).where(eq(peerLiveStats.peerId, peer.id));
    expect(await liveRow()).toEqual([{ peerId: peer.id, bytesSent: 0, bytesReceived: 0, lastHandshakeAt: null, endpoint: null, latencyMs: null, latencyAt: null }]);
    expect(peer).toMatchObject({ bytesSent: 0, bytesReceived: 0, lastHandshakeAt: null, endpoint: null });

    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, endpoint: "198.51.100.8:41000", handshake: now, rx: 70, tx: 80 }]), now);
    expect(await liveRow()).toEqual([{ peerId: peer.id, bytesSent: 70, bytesReceived: 80, lastHandshakeAt: now, endpoint: "198.51.100.8:41000", latencyMs: null, latencyAt: null }]);
    const [listed] = (await listPeers(u.actor)).items;
    expect(listed).toMatchObject({ bytesSent: 70, bytesReceived: 80, lastHandshakeAt: now.toISOString(), endpoint: "198.51.100.8:41000" });
    const snapshot = await takeDeviceSnapshot(db, u.id, now);
    expect(snapshot.devices).toEqual([expect.objectContaining({ peerId: peer.id, bytesSent: 70, bytesReceived: 80, lastHandshakeAt: now.toISOString(), endpoint: "198.51.100.8:41000" })]);

    // A device whose row is missing is shown, as one that never connected, rather than hidden.
    await db.delete(peerLiveStats).where(eq(peerLiveStats.peerId, peer.id));
    const bare = await getPeer(u.actor, peer.id);
    expect(bare).toMatchObject({ bytesSent: 0, bytesReceived: 0, lastHandshakeAt: null, endpoint: null });
    expect(peerStats(bare, now)).toMatchObject({ activity: "never_connected", usage: { bytesSent: 0, bytesReceived: 0, totalBytes: 0 } });
    expect((await listPeers(u.actor)).items).toEqual([expect.objectContaining({ id: peer.id, bytesSent: 0, lastHandshakeAt: null })]);
    expect((await takeDeviceSnapshot(db, u.id, now)).devices).toEqual([expect.objectContaining({ peerId: peer.id, bytesSent: 0, bytesReceived: 0, lastHandshakeAt: null, endpoint: null })]);
  });

  it("rewrites no live row that a push does not change", async () => {
    const { server, u, peer } = await setup();
    const db = await getDb();
    const version = async () => (await rows<{ v: string }>(db, sql`select xmin::text as v from peer_live_stats where peer_id = ${peer.id}`))[0]!.v;
    const t0 = new Date("2026-11-21T10:00:00Z");
    const same = makeDump([{ publicKey: peer.publicKey, endpoint: "198.51.100.9:41000", handshake: t0, rx: 500, tx: 600 }]);
    await ingestDump(server.id, same, t0);
    const written = await version();
    // The same counters, handshake and endpoint again, after the replay window: a real push with nothing new.
    expect((await ingestDump(server.id, same, minutes(t0, REPLAY_WINDOW_MINUTES + 1))).replay).toBe(false);
    expect(await version()).toBe(written);
    // Only a newer handshake: that is a change.
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, endpoint: "198.51.100.9:41000", handshake: minutes(t0, 12), rx: 500, tx: 600 }]), minutes(t0, 12));
    expect(await version()).not.toBe(written);
    expect(await getPeer(u.actor, peer.id)).toMatchObject({ bytesSent: 500, bytesReceived: 600, lastHandshakeAt: minutes(t0, 12).toISOString() });
  });

  it("counts a device online from its latest handshake", async () => {
    const { server, peer } = await setup();
    const before = await getSystemPeerStats(systemActor("test"));
    const now = new Date();
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, handshake: now, rx: 1, tx: 1 }]), now);
    const after = await getSystemPeerStats(systemActor("test"));
    expect(after.onlineNow).toBe(before.onlineNow + 1);
    expect(after.total).toBe(before.total);
  });
});
