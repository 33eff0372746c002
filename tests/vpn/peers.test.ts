import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ipLeases, wireguardPeers } from "@/db/schema";
import { createPeer, deletePeer, getPeer, listPeers, revokePeer } from "@/lib/services/peers";
import { peerConfig, peerQrPng } from "@/lib/services/peer-config";
import { agentConfig, confirmAppliedConfig, serverConfigText } from "@/lib/services/server-config";
import { publicKeyFromPrivate, generateKeyPair } from "@/lib/wireguard/keys";
import { AppError } from "@/lib/errors";
import { makeServer, makeUser } from "../support/factories";
import { setAccountStatus } from "@/lib/services/accounts";

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: AppError) => e);

describe("peers", () => {
  it("creates a device with sealed keys and the first free addresses of both pools", async () => {
    const server = await makeServer({ ipv4Pool: "10.20.0.0/24", ipv6Pool: "fd20::/64" });
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "Alice's phone", deviceType: "ios" });
    expect(peer).toMatchObject({ ipv4: "10.20.0.2", ipv6: "fd20::2", status: "active", keyVersion: 1, daysSinceRotation: 0, bringYourOwnKey: false });
    expect(JSON.stringify(peer)).not.toMatch(/private|preshared/i);
    const db = await getDb();
    const [row] = await db.select().from(wireguardPeers).where(eq(wireguardPeers.id, peer.id));
    expect(row.privateKeySealed).toMatch(/^v1\.k1\./);
    expect(new Date(row.nextKeyRotationAt).getTime() - row.createdAt.getTime()).toBeCloseTo(90 * 86_400_000, -4);

    const config = await peerConfig(u.actor, peer.id);
    const privateKey = config.text.match(/^PrivateKey = (.+)$/m)![1]!;
    expect(publicKeyFromPrivate(privateKey)).toBe(peer.publicKey);
    expect(config.text).toContain("Address = 10.20.0.2/32, fd20::2/128");
    expect(config.text).toContain(`PublicKey = ${server.publicKey}`);
    expect(config.text).toContain("Endpoint = vpn.example.test:51820");
    expect(config.text).toMatch(/^PresharedKey = .{44}$/m);
    expect(config.filename).toBe("Alice-s-phone.conf");
    const png = await peerQrPng(u.actor, peer.id);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("bring your own key: stores only the public key and leaves PrivateKey out of the config", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const { publicKey } = generateKeyPair();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux", publicKey });
    expect(peer.publicKey).toBe(publicKey);
    expect(peer.bringYourOwnKey).toBe(true);
    const config = await peerConfig(u.actor, peer.id);
    expect(config.text).not.toContain("PrivateKey");
    expect(config.text).toContain("[Peer]");
    expect((await errorOf(peerQrPng(u.actor, peer.id)))?.code).toBe("conflict");
    // the same public key cannot be registered twice
    const other = await makeUser();
    expect((await errorOf(createPeer(other.actor, { serverId: server.id, deviceName: "x", deviceType: "linux", publicKey })))?.code).toBe("conflict");
  });

  it("enforces the device limit and unique names with clear errors", async () => {
    const server = await makeServer();
    const u = await makeUser();
    for (let i = 0; i < 5; i++) await createPeer(u.actor, { serverId: server.id, deviceName: `d${i}`, deviceType: "other" });
    const limit = await errorOf(createPeer(u.actor, { serverId: server.id, deviceName: "d6", deviceType: "other" }));
    expect(limit?.code).toBe("device_limit_reached");
    expect(limit?.status).toBe(409);
    expect(limit?.message).toMatch(/5 devices/);
    const dup = await errorOf(createPeer(u.actor, { serverId: server.id, deviceName: "D0", deviceType: "other" }));
    expect(dup?.code).toBe("duplicate_name");
    // revoking frees a slot and the name
    const [first] = (await listPeers(u.actor)).items;
    await revokePeer(u.actor, first!.id);
    await expect(createPeer(u.actor, { serverId: server.id, deviceName: first!.deviceName, deviceType: "other" })).resolves.toBeTruthy();
  });

  it("a suspended account adds no device (403 forbidden, nothing written); restored, it adds one", async () => {
    const server = await makeServer();
    const u = await makeUser();
    await setAccountStatus({ kind: "system", job: "test" }, u.id, "suspended", "test");
    const refused = await errorOf(createPeer({ ...u.actor, status: "suspended" }, { serverId: server.id, deviceName: "phone", deviceType: "ios" }));
    expect(refused?.code).toBe("forbidden");
    expect(refused?.status).toBe(403);
    expect(refused?.message).toMatch(/suspended/);
    // The account's row decides, read after its lock, not the actor the request carried.
    expect((await errorOf(createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" })))?.code).toBe("forbidden");
    expect((await listPeers(u.actor)).items).toEqual([]);
    await setAccountStatus({ kind: "system", job: "test" }, u.id, "active", "test");
    await expect(createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" })).resolves.toMatchObject({ status: "active" });
  });

  it("a second device named like an existing one in another case is refused, and the first stays the only one", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const a = await createPeer(u.actor, { serverId: server.id, deviceName: "tablet", deviceType: "android" });
    expect((await errorOf(createPeer(u.actor, { serverId: server.id, deviceName: "Tablet", deviceType: "android" })))?.code).toBe("duplicate_name");
    expect((await listPeers(u.actor)).items.map((p) => p.id)).toEqual([a.id]);
  });

  it("answers 404 for an unknown server and for another user's device", async () => {
    const server = await makeServer();
    const alice = await makeUser();
    const bob = await makeUser();
    expect((await errorOf(createPeer(alice.actor, { serverId: "nope", deviceName: "x", deviceType: "ios" })))?.code).toBe("not_found");
    const peer = await createPeer(alice.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    for (const op of [getPeer, peerConfig, revokePeer, deletePeer, peerQrPng] as const) {
      const err = await errorOf(op(bob.actor, peer.id));
      expect(err?.code).toBe("not_found");
    }
    expect((await getPeer(alice.actor, peer.id)).status).toBe("active");
  });

  it("revoke removes the device from the server config at once; its address is reused only after the agent pulled", async () => {
    const server = await makeServer({ ipv4Pool: "10.30.0.0/24", ipv6Pool: "fd30::/64" });
    const u = await makeUser();
    const p1 = await createPeer(u.actor, { serverId: server.id, deviceName: "one", deviceType: "ios" });
    const first = await agentConfig(server.id, null);
    expect(first.status).toBe(200);
    if (first.status === 200) expect(first.text).toContain(`PublicKey = ${p1.publicKey}`);
    expect(await confirmAppliedConfig(server.id, first.etag)).toBe(true); // the agent runs it

    const revoked = await revokePeer(u.actor, p1.id);
    expect(revoked.status).toBe("revoked");
    expect(await serverConfigText(server.id)).not.toContain(p1.publicKey);
    // the live interface still has the revoked key: the next device gets a new address
    const p2 = await createPeer(u.actor, { serverId: server.id, deviceName: "two", deviceType: "ios" });
    expect(p2.ipv4).toBe("10.30.0.3");
    // once the agent reports the new config live, the released address is handed out again
    const live = await agentConfig(server.id, null);
    expect(await confirmAppliedConfig(server.id, "\"not-the-etag\"")).toBe(false);
    expect(await confirmAppliedConfig(server.id, live.etag)).toBe(true);
    const p3 = await createPeer(u.actor, { serverId: server.id, deviceName: "three", deviceType: "ios" });
    expect(p3.ipv4).toBe("10.30.0.2");
    expect(p3.ipv6).toBe("fd30::2");
    // revoking twice is harmless
    expect((await revokePeer(u.actor, p1.id)).status).toBe("revoked");
    // the revoked row stays for audit; delete removes it
    await deletePeer(u.actor, p1.id);
    expect((await errorOf(getPeer(u.actor, p1.id)))?.code).toBe("not_found");
  });

  it("answers 409 pool_exhausted when a /29 is full", async () => {
    const server = await makeServer({ ipv4Pool: "10.40.0.0/29" });
    const users = await Promise.all(Array.from({ length: 2 }, () => makeUser()));
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createPeer(users[i % 2]!.actor, { serverId: server.id, deviceName: `n${i}`, deviceType: "other" })).ipv4);
    expect(made.sort()).toEqual(["10.40.0.2", "10.40.0.3", "10.40.0.4", "10.40.0.5", "10.40.0.6"]);
    const err = await errorOf(createPeer(users[1]!.actor, { serverId: server.id, deviceName: "overflow", deviceType: "other" }));
    expect(err?.code).toBe("pool_exhausted");
    const db = await getDb();
    const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(ipLeases).where(eq(ipLeases.serverId, server.id));
    expect(n).toBe(5);
  });

  it("server config: only active peers of active accounts on that server; ETag and 304", async () => {
    const s1 = await makeServer();
    const s2 = await makeServer();
    const alice = await makeUser();
    const bob = await makeUser();
    const a = await createPeer(alice.actor, { serverId: s1.id, deviceName: "a", deviceType: "ios" });
    const b = await createPeer(bob.actor, { serverId: s1.id, deviceName: "b", deviceType: "ios" });
    const c = await createPeer(bob.actor, { serverId: s2.id, deviceName: "c", deviceType: "ios" });
    const first = await agentConfig(s1.id, null);
    if (first.status !== 200) throw new Error("expected 200");
    expect(first.text).toMatch(/^\[Interface\]\nPrivateKey = .{44}\nListenPort = 51820\n/);
    expect(first.text).toContain(a.publicKey);
    expect(first.text).toContain(b.publicKey);
    expect(first.text).not.toContain(c.publicKey);
    expect(first.text).toContain(`AllowedIPs = ${a.ipv4}/32, ${a.ipv6}/128`);
    expect(await agentConfig(s1.id, first.etag)).toEqual({ status: 304, etag: first.etag });

    // the status change itself marks bob's servers as changed
    await setAccountStatus({ kind: "system", job: "test" }, bob.id, "suspended", "test");
    const after = await agentConfig(s1.id, first.etag);
    if (after.status !== 200) throw new Error("expected a changed config");
    expect(after.etag).not.toBe(first.etag);
    expect(after.text).toContain(a.publicKey);
    expect(after.text).not.toContain(b.publicKey);
  });
});

describe("server listings", () => {
  it("count each server's own active peers and held addresses", async () => {
    const { listServersForAdmin } = await import("@/lib/dal/servers");
    const server = await makeServer({ ipv4Pool: "10.45.0.0/29" });
    const u = await makeUser();
    const admin = await makeUser("admin");
    await createPeer(u.actor, { serverId: server.id, deviceName: "a", deviceType: "ios" });
    const b = await createPeer(u.actor, { serverId: server.id, deviceName: "b", deviceType: "ios" });
    await revokePeer(u.actor, b.id);
    const row = (await listServersForAdmin(admin.actor)).find((s) => s.id === server.id)!;
    expect(row).toMatchObject({ activePeers: 1, capacity: 5, load: 20 });
    expect(row.addressesUsed).toBe(1);
  });

  it("show users a load from one shared count of active peers, recounted after PEER_COUNTS_TTL_MS", async () => {
    const { clearPeerCounts, listServersForUser } = await import("@/lib/dal/servers");
    const server = await makeServer({ ipv4Pool: "10.46.0.0/29" });
    const u = await makeUser();
    await createPeer(u.actor, { serverId: server.id, deviceName: "a", deviceType: "ios" });
    clearPeerCounts();
    const loadOf = async () => (await listServersForUser(u.actor)).find((s) => s.id === server.id)!.load;
    expect(await loadOf()).toBe(20);
    await createPeer(u.actor, { serverId: server.id, deviceName: "b", deviceType: "ios" });
    expect(await loadOf()).toBe(20);
    clearPeerCounts();
    expect(await loadOf()).toBe(40);
  });
});
