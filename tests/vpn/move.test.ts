import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { auditLog, vpnServers } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { createPeer, revokePeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { movePeer } from "@/lib/services/move-peer";
import { ingestDump } from "@/lib/services/telemetry";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { parsePool } from "@/lib/wireguard/addresses";
import * as moveRoute from "@/app/api/vpn/peers/[id]/move/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import * as configRoute from "@/app/api/vpn/peers/[id]/config/route";
import * as agentConfig from "@/app/api/agent/config/route";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

/** PGlite runs one transaction at a time and would hide races: those run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

type User = Awaited<ReturnType<typeof makeUser>>;
type Server = Awaited<ReturnType<typeof makeServer>>;

const device = (u: User, serverId: string, publicKey?: string) =>
  createPeer(u.actor, { serverId, deviceName: `d-${Math.random().toString(36).slice(2, 8)}`, deviceType: "android", ...(publicKey ? { publicKey } : {}) });
const move = (u: User, peerId: string, serverId: unknown) => call(moveRoute.POST, { token: u.token, params: { id: peerId }, body: { serverId } });
const agentPull = (server: Server, etag?: string) => call(agentConfig.GET, { token: server.agentToken, headers: etag ? { "if-none-match": etag } : {} });
const line = (conf: string, key: string) => conf.match(new RegExp(`^${key} = (.*)$`, "m"))?.[1];

/** Is `address` inside `pool` (CIDR)? */
function inPool(address: string, pool: string): boolean {
  const p = parsePool(pool);
  const [net] = pool.split("/");
  if (p.version === 4) {
    const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    const size = 2 ** (32 - p.prefix);
    return Math.floor(toInt(address) / size) === Math.floor(toInt(net!) / size);
  }
  return address.startsWith(net!.replace(/::$/, ":"));
}

/**
 * The address invariant of one device: the leases it holds are exactly its
 * current address and the addresses of its old keys still in grace, and the
 * device row's addresses are those of its current lease.
 */
async function expectLeasesConsistent(peerId: string) {
  const db = await getDb();
  const [peer] = await rows<{ server_id: string; host_index: number; status: string }>(db, sql`select server_id, host_index, status from wireguard_peers where id = ${peerId}`);
  const held = await rows<{ k: string }>(db, sql`select server_id || ':' || host_index as k from ip_leases where peer_id = ${peerId} and state = 'held' order by 1`);
  const grace = await rows<{ k: string }>(db, sql`select server_id || ':' || host_index as k from peer_previous_keys where peer_id = ${peerId} and retired_at is null`);
  const expected = [...(peer!.status === "active" ? [`${peer!.server_id}:${peer!.host_index}`] : []), ...grace.map((g) => g.k)].sort();
  expect(held.map((h) => h.k)).toEqual(expected);
}

async function version(serverId: string) {
  const db = await getDb();
  return (await db.select({ v: vpnServers.configVersion }).from(vpnServers).where(eq(vpnServers.id, serverId)))[0]!.v;
}

let a: Server;
let b: Server;

beforeAll(async () => {
  resetEnv({ DEFAULT_DEVICE_LIMIT: "1000", KEY_ROTATION_GRACE_DAYS: "7" });
  a = await makeServer({ ipv4Pool: "10.61.0.0/24", ipv6Pool: "fd61:0:0:1::/64", endpointHost: "a.vpn.example.test" });
  b = await makeServer({ ipv4Pool: "10.62.0.0/24", ipv6Pool: "fd62:0:0:1::/64", endpointHost: "b.vpn.example.test" });
});

describe("POST /api/vpn/peers/:id/move", () => {
  it("the same device and key, new addresses on the new server; it leaves the old server's config at once", async () => {
    const u = await makeUser();
    const peer = await device(u, a.id);
    const before = (await call(configRoute.GET, { token: u.token, params: { id: peer.id } })).text;
    const pullA = await agentPull(a);
    const pullB = await agentPull(b);
    expect(pullA.text).toContain(peer.publicKey);
    const [va, vb] = [await version(a.id), await version(b.id)];
    const [{ host_index: hostIndexBefore }] = (await rows<{ host_index: number }>(await getDb(), sql`select host_index from wireguard_peers where id = ${peer.id}`)) as [{ host_index: number }];

    const res = await move(u, peer.id, b.id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: peer.id, serverId: b.id, publicKey: peer.publicKey, deviceName: peer.deviceName, keyVersion: peer.keyVersion, status: "active" });
    expect(inPool(res.json.ipv4, "10.62.0.0/24") && inPool(res.json.ipv6, "fd62:0:0:1::/64")).toBe(true);
    expect(res.json.ipv4).not.toBe(peer.ipv4);
    expect(await version(a.id)).toBeGreaterThan(va);
    expect(await version(b.id)).toBeGreaterThan(vb);

    // Both agents pull again (their ETags no longer match): the key left A and is on B with its new addresses.
    const nextA = await agentPull(a, pullA.headers.get("etag")!);
    const nextB = await agentPull(b, pullB.headers.get("etag")!);
    expect([nextA.status, nextB.status]).toEqual([200, 200]);
    expect(nextA.text).not.toContain(peer.publicKey);
    expect(nextB.text).toContain(`PublicKey = ${peer.publicKey}`);
    expect(nextB.text).toContain(`AllowedIPs = ${res.json.ipv4}/32, ${res.json.ipv6}/128`);

    // The client config: same keys, the new server's endpoint and key, the new addresses. It must be loaded again.
    const after = (await call(configRoute.GET, { token: u.token, params: { id: peer.id } })).text;
    expect(line(after, "PrivateKey")).toBe(line(before, "PrivateKey"));
    expect(line(after, "PresharedKey")).toBe(line(before, "PresharedKey"));
    expect(line(after, "Endpoint")).toBe("b.vpn.example.test:51820");
    expect(line(after, "PublicKey")).toBe(b.publicKey);
    expect(line(after, "Address")).toBe(`${res.json.ipv4}/32, ${res.json.ipv6}/128`);

    // The old address went back to A's pool; the device holds one lease, on B.
    const db = await getDb();
    const [old] = await rows<{ state: string; peer_id: string | null }>(db, sql`select state, peer_id from ip_leases where server_id = ${a.id} and host_index = ${hostIndexBefore}`);
    expect(old).toMatchObject({ state: "released", peer_id: null });
    await expectLeasesConsistent(peer.id);
    const audit = await db.select({ metadata: auditLog.metadata }).from(auditLog).where(sql`${auditLog.action} = 'peer.moved' and ${auditLog.targetId} = ${peer.id}`);
    expect(audit[0]!.metadata).toMatchObject({ fromServerId: a.id, toServerId: b.id });
    expect((await call(peerRoute.GET, { token: u.token, params: { id: peer.id } })).json.serverId).toBe(b.id);
  });

  it("a rotation's old key still in grace is retired with the move: nothing of the device stays on the old server", async () => {
    const u = await makeUser();
    const peer = await device(u, a.id);
    const rotated = await rotatePeer(u.actor, peer.id);
    expect(rotated.pendingRotation?.previousPublicKey).toBe(peer.publicKey);
    expect((await agentPull(a)).text).toContain(peer.publicKey);

    const moved = (await move(u, peer.id, b.id)).json;
    expect(moved.publicKey).toBe(rotated.publicKey);
    expect(moved.pendingRotation).toBeNull();
    const onA = (await agentPull(a)).text;
    expect(onA).not.toContain(peer.publicKey);
    expect(onA).not.toContain(rotated.publicKey);
    expect((await agentPull(b)).text).toContain(rotated.publicKey);
    await expectLeasesConsistent(peer.id);
    const db = await getDb();
    const [k] = await rows<{ retired_reason: string | null }>(db, sql`select retired_reason from peer_previous_keys where public_key = ${peer.publicKey}`);
    expect(k!.retired_reason).toBe("revoked");
  });

  it("a full pool on the new server is the same 409 as on create, and nothing changes", async () => {
    const small = await makeServer({ ipv4Pool: "10.63.0.0/29" });
    const filler = await makeUser();
    for (let i = 0; i < 5; i++) await device(filler, small.id);
    const u = await makeUser();
    const peer = await device(u, a.id);
    const va = await version(a.id);
    const res = await move(u, peer.id, small.id);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("pool_exhausted");
    const now = (await call(peerRoute.GET, { token: u.token, params: { id: peer.id } })).json;
    expect({ serverId: now.serverId, ipv4: now.ipv4, ipv6: now.ipv6 }).toEqual({ serverId: a.id, ipv4: peer.ipv4, ipv6: peer.ipv6 });
    expect(await version(a.id)).toBe(va);
    expect((await agentPull(a)).text).toContain(peer.publicKey);
    await expectLeasesConsistent(peer.id);
  });

  it("refuses a revoked device and the server it is on (409), another user's device and an unknown server (404), a malformed id (400)", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const peer = await device(u, a.id);
    expect((await move(u, peer.id, a.id)).status).toBe(409);
    expect((await move(other, peer.id, b.id)).status).toBe(404);
    expect((await move(u, peer.id, "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    const bad = await move(u, peer.id, "not an id!");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    await revokePeer(u.actor, peer.id);
    expect((await move(u, peer.id, b.id)).status).toBe(409);
    await expectLeasesConsistent(peer.id);
  });

  it("a bring-your-own-key device keeps its public key; its config still has no private key", async () => {
    const u = await makeUser();
    const { publicKey } = generateKeyPair();
    const peer = await device(u, a.id, publicKey);
    const moved = (await move(u, peer.id, b.id)).json;
    expect(moved).toMatchObject({ publicKey, bringYourOwnKey: true, serverId: b.id });
    const conf = (await call(configRoute.GET, { token: u.token, params: { id: peer.id } })).text;
    expect(conf).not.toMatch(/^PrivateKey/m);
    expect(line(conf, "Endpoint")).toBe("b.vpn.example.test:51820");
  });

  it("telemetry: the old server's late push no longer counts for the device; the new server's counts from zero", async () => {
    const u = await makeUser();
    const peer = await device(u, a.id);
    const t0 = new Date(Date.now() - 120_000);
    await ingestDump(a.id, makeDump([{ publicKey: peer.publicKey, rx: 5_000_000, tx: 1_000, handshake: t0, endpoint: "203.0.113.5:4000" }]), t0);
    await movePeer(u.actor, peer.id, b.id);
    const t1 = new Date(Date.now() - 60_000);
    // A's agent has not synced yet: its push still shows the key, which no longer belongs there.
    expect((await ingestDump(a.id, makeDump([{ publicKey: peer.publicKey, rx: 6_000_000, tx: 1_000, handshake: t1 }]), t1)).unknown).toBe(1);
    const t2 = new Date();
    expect((await ingestDump(b.id, makeDump([{ publicKey: peer.publicKey, rx: 700, tx: 300, handshake: t2, endpoint: "203.0.113.5:4001" }]), t2)).unknown).toBe(0);
    const now = (await call(peerRoute.GET, { token: u.token, params: { id: peer.id } })).json;
    // 5 MB on A before the move, then 700 bytes on B (not B's counter minus A's).
    expect(now.bytesSent).toBe(5_000_700);
    expect(now.endpoint).toBe("203.0.113.5:4001");
  });
});

describe.skipIf(!onPostgres)("moves under concurrency (PostgreSQL)", () => {
  it("two moves of one device to the same server at once: one moves it, the other is 409; addresses stay consistent", async () => {
    for (let round = 0; round < 5; round++) {
      const u = await makeUser();
      const peer = await device(u, a.id);
      const results = await Promise.allSettled([movePeer(u.actor, peer.id, b.id), movePeer(u.actor, peer.id, b.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("conflict");
      await expectLeasesConsistent(peer.id);
    }
  });

  it("two moves of one device to different servers at once both apply in turn; the device ends on one server with one lease", async () => {
    const c = await makeServer({ ipv4Pool: "10.64.0.0/24" });
    for (let round = 0; round < 5; round++) {
      const u = await makeUser();
      const peer = await device(u, a.id);
      const results = await Promise.allSettled([movePeer(u.actor, peer.id, b.id), movePeer(u.actor, peer.id, c.id)]);
      expect(results.every((r) => r.status === "fulfilled")).toBe(true);
      await expectLeasesConsistent(peer.id);
      const final = (await call(peerRoute.GET, { token: u.token, params: { id: peer.id } })).json;
      expect([b.id, c.id]).toContain(final.serverId);
      const configs = [(await agentPull(a)).text, (await agentPull(b)).text, (await agentPull(c)).text];
      expect(configs.filter((t) => t.includes(peer.publicKey))).toHaveLength(1);
    }
  });

  it("moves in both directions, rotations and creates at once do not deadlock and leave every device consistent", async () => {
    const u = await makeUser();
    const onA = await Promise.all(Array.from({ length: 6 }, () => device(u, a.id)));
    const onB = await Promise.all(Array.from({ length: 6 }, () => device(u, b.id)));
    const results = await Promise.allSettled([
      ...onA.map((p) => movePeer(u.actor, p.id, b.id)),
      ...onB.map((p) => movePeer(u.actor, p.id, a.id)),
      ...onA.slice(0, 3).map((p) => rotatePeer(u.actor, p.id)),
      ...Array.from({ length: 4 }, (_, i) => device(u, i % 2 ? a.id : b.id)),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failed.map((f) => String(f.reason?.message ?? f.reason))).toEqual([]);
    for (const p of [...onA, ...onB]) await expectLeasesConsistent(p.id);
    const db = await getDb();
    // No address is held twice on any server.
    const dup = await rows(db, sql`select ipv4, count(*) from wireguard_peers where status = 'active' group by server_id, ipv4 having count(*) > 1`);
    expect(dup).toEqual([]);
  });
});
