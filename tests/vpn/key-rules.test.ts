import { describe, expect, it } from "vitest";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { peerPreviousKeys, wireguardPeers } from "@/db/schema";
import * as peersRoute from "@/app/api/vpn/peers/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import * as rotateRoute from "@/app/api/vpn/peers/[id]/rotate/route";
import * as statsRoute from "@/app/api/agent/stats/route";
import * as configRoute from "@/app/api/agent/config/route";
import { createPeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

/** PGlite runs one transaction at a time and would hide races: the parallel cases run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

async function liveOldKeys(peerId: string) {
  const db = await getDb();
  return db.select().from(peerPreviousKeys).where(and(eq(peerPreviousKeys.peerId, peerId), isNull(peerPreviousKeys.retiredAt)));
}

async function heldAddresses(peerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ip_leases where state = 'held' and (peer_id = ${peerId}
        or (server_id, host_index) in (select server_id, host_index from peer_previous_keys where peer_id = ${peerId} and retired_at is null))`,
  );
  return Number(row!.n);
}

const rotate = (token: string, id: string, body: unknown = {}) => call(rotateRoute.POST, { token, params: { id }, body });

/** What N rotations must leave behind, however they interleave: one current key, at most one old key in grace, two addresses. */
async function expectAtMostOnePending(serverToken: string, peerId: string) {
  const db = await getDb();
  const [peer] = await db.select().from(wireguardPeers).where(eq(wireguardPeers.id, peerId));
  const old = await liveOldKeys(peerId);
  expect(old.length).toBeLessThanOrEqual(1);
  expect(await heldAddresses(peerId)).toBe(1 + old.length);
  const config = await call(configRoute.GET, { token: serverToken });
  const keys = [...config.text.matchAll(/^PublicKey = (.+)$/gm)].map((m) => m[1]);
  expect(keys.filter((k) => k === peer!.publicKey || old.some((o) => o.publicKey === k))).toHaveLength(1 + old.length);
  expect(new Set(keys).size).toBe(keys.length);
}

describe("rotation state is decided after the device's lock", () => {
  it("N sequential rotations keep one old key (the one the device still uses) and one extra address", async () => {
    const server = await makeServer({ ipv4Pool: "10.81.0.0/28" });
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    for (let i = 0; i < 5; i++) expect((await rotate(u.token, peer.id)).status).toBe(200);
    const old = await liveOldKeys(peer.id);
    expect(old.map((k) => k.publicKey)).toEqual([peer.publicKey]);
    await expectAtMostOnePending(server.agentToken, peer.id);
  });

  it.skipIf(!onPostgres)("10 parallel rotations of one device end like sequential ones; the pool stays usable for others", async () => {
    // A /28 has 13 usable hosts: before the fix, two devices rotated 10 times in parallel used it up.
    const server = await makeServer({ ipv4Pool: "10.82.0.0/28" });
    const u = await makeUser();
    const a = await createPeer(u.actor, { serverId: server.id, deviceName: "a", deviceType: "ios" });
    const b = await createPeer(u.actor, { serverId: server.id, deviceName: "b", deviceType: "ios" });
    const answers = await Promise.all([...Array.from({ length: 10 }, () => rotate(u.token, a.id)), ...Array.from({ length: 10 }, () => rotate(u.token, b.id))]);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    await expectAtMostOnePending(server.agentToken, a.id);
    await expectAtMostOnePending(server.agentToken, b.id);
    expect((await liveOldKeys(a.id)).map((k) => k.publicKey)).toEqual([a.publicKey]);

    const other = await makeUser();
    const created = await call(peersRoute.POST, { token: other.token, body: { serverId: server.id, deviceName: "laptop", deviceType: "linux" } });
    expect(created.status).toBe(201);
  });
});

describe("a public key belongs to one device, current or in grace", () => {
  async function rotatedPair() {
    const server = await makeServer({ ipv4Pool: "10.83.0.0/24" });
    const victim = await makeUser();
    const peer = await createPeer(victim.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    await rotatePeer(victim.actor, peer.id); // peer.publicKey is now an old key in grace
    return { server, victim, graceKey: peer.publicKey, peer };
  }

  it("refuses a bring-your-own key that is another device's old key, at create and at rotation, with 409", async () => {
    const { server, graceKey } = await rotatedPair();
    const attacker = await makeUser();
    const created = await call(peersRoute.POST, { token: attacker.token, body: { serverId: server.id, deviceName: "x", deviceType: "linux", publicKey: graceKey } });
    expect(created.status).toBe(409);
    expect(created.json.error.code).toBe("conflict");

    const own = generateKeyPair().publicKey;
    const byok = await call(peersRoute.POST, { token: attacker.token, body: { serverId: server.id, deviceName: "y", deviceType: "linux", publicKey: own } });
    expect(byok.status).toBe(201);
    const rotated = await rotate(attacker.token, byok.json.id, { publicKey: graceKey });
    expect(rotated.status).toBe(409);
    expect(rotated.json.error.code).toBe("conflict");
    // Nothing changed: the device keeps its key.
    expect((await call(peerRoute.GET, { token: attacker.token, params: { id: byok.json.id } })).json.publicKey).toBe(own);

    // Its own old key cannot come back either: a key once replaced is burned.
    const next = generateKeyPair().publicKey;
    expect((await rotate(attacker.token, byok.json.id, { publicKey: next })).status).toBe(200);
    expect((await rotate(attacker.token, byok.json.id, { publicKey: own })).status).toBe(409);
  });

  it("the database enforces it, whatever the writer", async () => {
    const { server, graceKey, victim } = await rotatedPair();
    const db = await getDb();
    const raw = (publicKey: string) =>
      db.insert(wireguardPeers).values({
        userId: victim.id, serverId: server.id, deviceName: `raw-${publicKey.slice(0, 6)}`, deviceType: "other", publicKey,
        presharedKeySealed: "x", hostIndex: 200, ipv4: "10.83.0.200", ipv6: "fd00::c8", rotationIntervalDays: 90, nextKeyRotationAt: new Date(),
      });
    const refused = await raw(graceKey).then(() => null, (err: unknown) => err);
    expect(isUniqueViolation(refused, "peer_public_keys_pkey")).toBe(true);
    // And an update to such a key, set-based or not.
    const fresh = generateKeyPair().publicKey;
    await raw(fresh);
    const updated = await db.update(wireguardPeers).set({ publicKey: graceKey }).where(eq(wireguardPeers.publicKey, fresh)).then(() => null, (err: unknown) => err);
    expect(isUniqueViolation(updated, "peer_public_keys_pkey")).toBe(true);
  });

  it("a push never fails because an old key equals a current one (data from before the rule): 202, each key once in the config", async () => {
    const { server, victim, peer } = await rotatedPair();
    const db = await getDb();
    // A database restored from before the rule: another device's current key is also this device's old key.
    const other = await makeUser();
    const shared = generateKeyPair().publicKey;
    await createPeer(other.actor, { serverId: server.id, deviceName: "dup", deviceType: "linux", publicKey: shared });
    await db.update(peerPreviousKeys).set({ publicKey: shared }).where(eq(peerPreviousKeys.peerId, peer.id));

    const push = await call(statsRoute.POST, {
      token: server.agentToken,
      rawBody: makeDump([{ publicKey: shared, handshake: new Date(), rx: 10, tx: 20 }]),
      headers: { "content-type": "text/plain" },
    });
    expect(push.status).toBe(202);
    expect(push.json.unknown).toBe(0);
    const config = await call(configRoute.GET, { token: server.agentToken });
    expect(config.status).toBe(200);
    expect([...config.text.matchAll(new RegExp(`^PublicKey = ${shared.replace(/[+/]/g, "\\$&")}$`, "gm"))]).toHaveLength(1);
    // The other device's traffic went to the current key's owner, nobody else.
    const otherPeer = (await call(peerRoute.GET, { token: other.token, params: { id: (await call(peersRoute.GET, { token: other.token })).json.items[0].id } })).json;
    expect(otherPeer.bytesSent + otherPeer.bytesReceived).toBe(30);
    const victimPeer = (await call(peerRoute.GET, { token: victim.token, params: { id: peer.id } })).json;
    expect(victimPeer.bytesSent + victimPeer.bytesReceived).toBe(0);
  });

  it.skipIf(!onPostgres)("two bring-your-own rotations racing to one new key: one 200, one 409, never 500", async () => {
    const server = await makeServer({ ipv4Pool: "10.84.0.0/24" });
    for (let round = 0; round < 10; round++) {
      const a = await makeUser();
      const b = await makeUser();
      const pa = await createPeer(a.actor, { serverId: server.id, deviceName: "a", deviceType: "linux", publicKey: generateKeyPair().publicKey });
      const pb = await createPeer(b.actor, { serverId: server.id, deviceName: "b", deviceType: "linux", publicKey: generateKeyPair().publicKey });
      const key = generateKeyPair().publicKey;
      const answers = await Promise.all([rotate(a.token, pa.id, { publicKey: key }), rotate(b.token, pb.id, { publicKey: key })]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    }
  });

  it.skipIf(!onPostgres)("a create and a rotation racing to one key: exactly one wins", async () => {
    const server = await makeServer({ ipv4Pool: "10.85.0.0/24" });
    for (let round = 0; round < 10; round++) {
      const a = await makeUser();
      const b = await makeUser();
      const pa = await createPeer(a.actor, { serverId: server.id, deviceName: "a", deviceType: "linux", publicKey: generateKeyPair().publicKey });
      const key = generateKeyPair().publicKey;
      const answers = await Promise.all([
        rotate(a.token, pa.id, { publicKey: key }),
        call(peersRoute.POST, { token: b.token, body: { serverId: server.id, deviceName: "b", deviceType: "linux", publicKey: key } }),
      ]);
      expect(answers.filter((r) => r.status === 409)).toHaveLength(1);
      expect(answers.filter((r) => r.status === 200 || r.status === 201)).toHaveLength(1);
    }
  });
});
