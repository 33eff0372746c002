import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, vpnServers } from "@/db/schema";
import { listAuditLog } from "@/lib/dal/audit";
import { getServerDetailForAdmin, getServerTraffic } from "@/lib/dal/servers";
import { createPeer } from "@/lib/services/peers";
import { ingestDump } from "@/lib/services/telemetry";
import { agentConfig, confirmAppliedConfig } from "@/lib/services/server-config";
import { resetEnv } from "@/lib/env";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

describe("audit log filters", () => {
  let ctx: Awaited<ReturnType<typeof fixture>>;
  async function fixture() {
    const admin = await makeUser("admin", { email: `auditor-${Date.now()}@audit.test` });
    const other = await makeUser("admin", { email: `second-${Date.now()}@audit.test` });
    const target = await makeUser("user", { email: `target-${Date.now()}@audit.test` });
    const db = await getDb();
    await db.insert(auditLog).values([
      { actorKind: "user", actorId: admin.id, action: "account.suspended", targetType: "user", targetId: target.id, createdAt: new Date("2026-03-01T10:00:00Z") },
      { actorKind: "user", actorId: other.id, action: "account.activated", targetType: "user", targetId: target.id, createdAt: new Date("2026-03-02T23:59:59Z") },
      { actorKind: "user", actorId: admin.id, action: "server.updated", targetType: "vpn_server", targetId: "srv-1", createdAt: new Date("2026-03-03T00:00:00Z") },
      { actorKind: "system", actorId: null, action: "abuse.user_suspended", targetType: "abuse_incident", targetId: "inc-1", createdAt: new Date("2026-03-04T12:00:00Z") },
    ]);
    return { admin, other, target };
  }
  beforeAll(async () => {
    resetEnv({});
    ctx = await fixture();
  });
  const actions = async (f: Parameters<typeof listAuditLog>[1]) => (await listAuditLog(ctx.admin.actor, { from: "2026-03-01", to: "2026-03-31", ...f })).items.map((e) => e.action);

  it("by actor: the start of an email, an account id, or the kind of actor", async () => {
    expect(await actions({ actor: ctx.admin.email.slice(0, 10).toUpperCase() })).toEqual(["server.updated", "account.suspended"]);
    expect(await actions({ actor: ctx.other.id })).toEqual(["account.activated"]);
    expect(await actions({ actor: "system" })).toEqual(["abuse.user_suspended"]);
  });

  it("by target: a user's email, or a type and an id", async () => {
    expect(await actions({ target: ctx.target.email })).toEqual(["account.activated", "account.suspended"]);
    expect(await actions({ targetType: "vpn_server" })).toEqual(["server.updated"]);
    expect(await actions({ targetType: "abuse_incident", target: "inc-1" })).toEqual(["abuse.user_suspended"]);
    expect(await actions({ target: "srv-1" })).toEqual(["server.updated"]);
    expect(await actions({ targetType: "user", target: "srv-1" })).toEqual([]);
  });

  it("by time: UTC days, both ends included; with the action and a cursor", async () => {
    expect(await actions({ from: "2026-03-02", to: "2026-03-03" })).toEqual(["server.updated", "account.activated"]);
    expect(await actions({ from: "2026-03-04", to: "2026-03-04" })).toEqual(["abuse.user_suspended"]);
    expect(await actions({ action: "account." })).toEqual(["account.activated", "account.suspended"]);
    const first = await listAuditLog(ctx.admin.actor, { from: "2026-03-01", to: "2026-03-31", limit: 3 });
    const next = await listAuditLog(ctx.admin.actor, { from: "2026-03-01", to: "2026-03-31", limit: 3, cursor: first.nextCursor });
    expect([...first.items, ...next.items].map((e) => e.action)).toEqual(["abuse.user_suspended", "server.updated", "account.activated", "account.suspended"]);
    expect(next.nextCursor).toBeNull();
    await expect(listAuditLog(ctx.admin.actor, { from: "yesterday" })).rejects.toMatchObject({ code: "validation_error" });
    await expect(listAuditLog(ctx.admin.actor, { targetType: "Robert'); drop table" })).rejects.toMatchObject({ code: "validation_error" });
    await expect(listAuditLog(ctx.target.actor, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("a server's admin page", () => {
  it("agent state: the config version applied against the current one", async () => {
    const admin = await makeUser("admin");
    const user = await makeUser("user");
    const server = await makeServer({ ipv4Pool: "10.81.0.0/24" });
    const fresh = await getServerDetailForAdmin(admin.actor, server.id);
    expect(fresh).toMatchObject({ appliedConfigVersion: null, lastHeartbeatAt: null, activePeers: 0, onlinePeers: 0, mtu: 1420 });

    await createPeer(user.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    const pulled = await agentConfig(server.id, null);
    expect(pulled.status).toBe(200);
    expect(await confirmAppliedConfig(server.id, pulled.etag)).toBe(true);
    const applied = await getServerDetailForAdmin(admin.actor, server.id);
    expect(applied.appliedConfigVersion).toBe(applied.configVersion);
    expect(applied).toMatchObject({ activePeers: 1, addressesUsed: 1 });

    // Another device: the config moves on, the agent has not applied it yet.
    await createPeer(user.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    const behind = await getServerDetailForAdmin(admin.actor, server.id);
    expect(behind.configVersion).toBeGreaterThan(behind.appliedConfigVersion!);

    await expect(getServerDetailForAdmin(user.actor, server.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getServerDetailForAdmin(admin.actor, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ code: "not_found" });
  });

  it("traffic per hour from the agent's samples, zero-filled, from when the server was added", async () => {
    const admin = await makeUser("admin");
    const user = await makeUser("user");
    const server = await makeServer({ ipv4Pool: "10.82.0.0/24" });
    const peer = await createPeer(user.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    const hour = 3_600_000;
    const base = Math.floor(Date.now() / hour) * hour;
    // Three pushes: two in this hour (counters 1000/4000 then 3000/9000), none in the hour before.
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, rx: 1000, tx: 4000, handshake: new Date(base) }]), new Date(base + 1000));
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, rx: 3000, tx: 9000, handshake: new Date(base) }]), new Date(base + 2000));
    const buckets = await getServerTraffic(admin.actor, server.id, { hours: 24, bucket: "hour" });
    const busy = (list: typeof buckets) => list.filter((b) => b.bytesUp || b.bytesDown);
    expect(busy(buckets)).toEqual([{ at: new Date(base).toISOString().replace(".000", ""), bytesUp: 3000, bytesDown: 9000 }]);
    // The server was created this hour: its chart starts there, not 24 empty hours before (two if the test ran across an hour).
    expect(buckets.length).toBeLessThanOrEqual(2);
    const days = await getServerTraffic(admin.actor, server.id, { hours: 24 * 7, bucket: "day" });
    expect(days.length).toBeLessThanOrEqual(2);
    expect(busy(days)).toEqual([{ at: `${new Date(base).toISOString().slice(0, 10)}T00:00:00Z`, bytesUp: 3000, bytesDown: 9000 }]);
    await expect(getServerTraffic(user.actor, server.id, { hours: 24, bucket: "hour" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("traffic of an older server: every hour of the range, empty ones at zero", async () => {
    const admin = await makeUser("admin");
    const server = await makeServer({ ipv4Pool: "10.83.0.0/24" });
    const db = await getDb();
    await db.update(vpnServers).set({ createdAt: sql`now() - interval '3 days'` }).where(eq(vpnServers.id, server.id));
    const buckets = await getServerTraffic(admin.actor, server.id, { hours: 24, bucket: "hour" });
    expect(buckets.length).toBeGreaterThanOrEqual(24);
    expect(buckets.length).toBeLessThanOrEqual(25);
    expect(buckets.every((b) => b.bytesUp === 0 && b.bytesDown === 0)).toBe(true);
  });

  it("traffic recorded before the server's creation date (history brought in) is shown from its first hour", async () => {
    const admin = await makeUser("admin");
    const server = await makeServer({ ipv4Pool: "10.84.0.0/24" });
    const db = await getDb();
    await db.execute(sql`insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down)
      values ('p', 'u', ${server.id}, date_trunc('hour', now()) - interval '5 hours' + interval '10 minutes', 100, 200)`);
    const buckets = await getServerTraffic(admin.actor, server.id, { hours: 24, bucket: "hour" });
    expect(buckets[0]).toMatchObject({ bytesUp: 100, bytesDown: 200 });
    expect(buckets.length).toBeGreaterThanOrEqual(6);
    expect(buckets.length).toBeLessThanOrEqual(7);
  });
});
