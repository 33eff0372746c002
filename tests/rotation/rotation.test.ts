import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { getDb } from "@/db/client";
import { emailOutbox, peerPreviousKeys, wireguardPeers } from "@/db/schema";
import { createPeer, getPeer } from "@/lib/services/peers";
import { retireExpiredKeys } from "@/lib/services/previous-keys";
import { rotateBatch, rotatePeer } from "@/lib/services/rotation";
import { agentConfig, confirmAppliedConfig, serverConfigText } from "@/lib/services/server-config";
import { ingestDump } from "@/lib/services/telemetry";
import { peerConfig } from "@/lib/services/peer-config";
import { executeJob } from "@/lib/jobs/execute";
import { rotationJob } from "@/lib/jobs/rotation";
import { createJobFunction } from "@/inngest/functions";
import { generateKeyPair, publicKeyFromPrivate } from "@/lib/wireguard/keys";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

const DAY = 86_400_000;

async function setup(pool = "10.60.0.0/24") {
  const server = await makeServer({ ipv4Pool: pool, ipv6Pool: "fd60::/64" });
  const u = await makeUser();
  const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
  return { server, u, peer };
}

async function makeDue(peerId: string) {
  const db = await getDb();
  await db.update(wireguardPeers).set({ nextKeyRotationAt: new Date(Date.now() - DAY) }).where(eq(wireguardPeers.id, peerId));
}

describe("key rotation", () => {
  it("issues a new key with new addresses; both keys work during grace; the user is emailed", async () => {
    const { server, u, peer } = await setup();
    const rotated = await rotatePeer(u.actor, peer.id);
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.publicKey).not.toBe(peer.publicKey);
    expect(rotated.ipv4).not.toBe(peer.ipv4);
    expect(rotated.ipv6).not.toBe(peer.ipv6);
    expect(rotated.pendingRotation).toMatchObject({ previousPublicKey: peer.publicKey, previousIpv4: peer.ipv4 });
    const grace = new Date(rotated.pendingRotation!.graceUntil).getTime() - Date.now();
    expect(grace).toBeGreaterThan(6.9 * DAY);
    expect(grace).toBeLessThanOrEqual(7 * DAY);
    expect(rotated.nextKeyRotationAt > peer.nextKeyRotationAt).toBe(true);

    const config = await serverConfigText(server.id);
    expect(config).toContain(`PublicKey = ${peer.publicKey}\nPresharedKey`);
    expect(config).toContain(`AllowedIPs = ${peer.ipv4}/32, ${peer.ipv6}/128`);
    expect(config).toContain(`PublicKey = ${rotated.publicKey}\nPresharedKey`);
    expect(config).toContain(`AllowedIPs = ${rotated.ipv4}/32, ${rotated.ipv6}/128`);

    const client = await peerConfig(u.actor, peer.id);
    expect(publicKeyFromPrivate(client.text.match(/^PrivateKey = (.+)$/m)![1]!)).toBe(rotated.publicKey);

    const db = await getDb();
    const mails = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, u.email), eq(emailOutbox.template, "key_rotated")));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.html).toContain("http://localhost:3000/devices");
    expect(mails[0]!.html).not.toMatch(/PrivateKey|PresharedKey/);
  });

  it("a handshake of the new key in a pushed dump retires the old key and releases its addresses", async () => {
    const { server, u, peer } = await setup("10.61.0.0/24");
    const rotated = await rotatePeer(u.actor, peer.id);
    const now = new Date();
    // the old key is still in use: nothing retires
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, handshake: now, rx: 10, tx: 10 }]), now);
    expect((await getPeer(u.actor, peer.id)).pendingRotation).not.toBeNull();
    // the new key shakes hands
    const later = new Date(now.getTime() + 60_000);
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, handshake: now, rx: 10, tx: 10 }, { publicKey: rotated.publicKey, handshake: later, rx: 5, tx: 7 }]), later);
    const after = await getPeer(u.actor, peer.id);
    expect(after.pendingRotation).toBeNull();
    expect([after.bytesSent, after.bytesReceived]).toEqual([15, 17]);
    const config = await serverConfigText(server.id);
    expect(config).not.toContain(peer.publicKey);
    expect(config).toContain(rotated.publicKey);
    const db = await getDb();
    const [old] = await db.select().from(peerPreviousKeys).where(eq(peerPreviousKeys.publicKey, peer.publicKey));
    expect(old!.retiredReason).toBe("handshake");
    // after the agent reports the new config live, the old address is handed out again
    await confirmAppliedConfig(server.id, (await agentConfig(server.id, null)).etag);
    const other = await createPeer(u.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    expect(other.ipv4).toBe(peer.ipv4);
  });

  it("a device keeps its totals, last handshake and endpoint across rotations, by its owner or by the daily job", async () => {
    const { server, u, peer } = await setup("10.67.0.0/24");
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000);
    await ingestDump(server.id, makeDump([{ publicKey: peer.publicKey, endpoint: "198.51.100.20:4000", handshake: t0, rx: 1000, tx: 2000 }]), t0);
    const kept = { bytesSent: 1000, bytesReceived: 2000, lastHandshakeAt: t0.toISOString(), endpoint: "198.51.100.20:4000" };
    const rotated = await rotatePeer(u.actor, peer.id);
    expect(rotated).toMatchObject(kept);
    // the new key's counters start from zero; the device's totals go on
    const t1 = new Date(t0.getTime() + 60_000);
    await ingestDump(server.id, makeDump([{ publicKey: rotated.publicKey, endpoint: "198.51.100.21:4000", handshake: t1, rx: 300, tx: 400 }]), t1);
    const moved = { bytesSent: 1300, bytesReceived: 2400, lastHandshakeAt: t1.toISOString(), endpoint: "198.51.100.21:4000" };
    expect(await getPeer(u.actor, peer.id)).toMatchObject(moved);
    await makeDue(peer.id);
    expect(await rotateBatch([peer.id], new Date())).toEqual({ rotated: 1, skipped: 0 });
    expect(await getPeer(u.actor, peer.id)).toMatchObject({ ...moved, keyVersion: 3 });
  });

  it("a new-key handshake stamped before our clock (whole seconds, or a VPN server running behind) still retires the old key", async () => {
    const { server, u, peer } = await setup("10.69.0.0/24");
    const rotated = await rotatePeer(u.actor, peer.id);
    const now = new Date();
    const behind = new Date(Math.floor(now.getTime() / 1000) * 1000 - 30_000);
    await ingestDump(server.id, makeDump([{ publicKey: rotated.publicKey, handshake: behind, rx: 1, tx: 1 }]), now);
    expect((await getPeer(u.actor, peer.id)).pendingRotation).toBeNull();
    expect(await serverConfigText(server.id)).not.toContain(peer.publicKey);
  });

  it("grace expiry retires the old key too", async () => {
    const { server, u, peer } = await setup("10.62.0.0/24");
    await rotatePeer(u.actor, peer.id);
    await retireExpiredKeys(new Date());
    expect((await getPeer(u.actor, peer.id)).pendingRotation).not.toBeNull();
    expect(await retireExpiredKeys(new Date(Date.now() + 7 * DAY + 1000))).toBeGreaterThanOrEqual(1);
    expect(await serverConfigText(server.id)).not.toContain(peer.publicKey);
    expect((await getPeer(u.actor, peer.id)).pendingRotation).toBeNull();
  });

  it("rotating again during grace replaces the unused new key and keeps the old working one", async () => {
    const { server, u, peer } = await setup("10.63.0.0/24");
    const first = await rotatePeer(u.actor, peer.id);
    const second = await rotatePeer(u.actor, peer.id);
    expect(second.pendingRotation!.previousPublicKey).toBe(peer.publicKey);
    const config = await serverConfigText(server.id);
    expect(config).toContain(peer.publicKey);
    expect(config).toContain(second.publicKey);
    expect(config).not.toContain(first.publicKey);
  });

  it("revoking during grace removes both keys", async () => {
    const { server, u, peer } = await setup("10.64.0.0/24");
    const { revokePeer } = await import("@/lib/services/peers");
    const rotated = await rotatePeer(u.actor, peer.id);
    await revokePeer(u.actor, peer.id);
    const config = await serverConfigText(server.id);
    expect(config).not.toContain(peer.publicKey);
    expect(config).not.toContain(rotated.publicKey);
  });

  it("bring-your-own-key devices rotate only with a new public key, and are reminded when due", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const byok = await createPeer(u.actor, { serverId: server.id, deviceName: "own", deviceType: "linux", publicKey: generateKeyPair().publicKey });
    const missing = await rotatePeer(u.actor, byok.id).catch((e) => e);
    expect(missing.code).toBe("validation_error");
    const fresh = generateKeyPair().publicKey;
    const rotated = await rotatePeer(u.actor, byok.id, { publicKey: fresh });
    expect(rotated.publicKey).toBe(fresh);
    expect(rotated.bringYourOwnKey).toBe(true);
    const reuse = await rotatePeer(u.actor, byok.id, { publicKey: byok.publicKey }).catch((e) => e);
    expect(reuse.code).toBe("conflict");
    // a server-key device refuses a public key
    const own = await createPeer(u.actor, { serverId: server.id, deviceName: "srv", deviceType: "ios" });
    expect((await rotatePeer(u.actor, own.id, { publicKey: generateKeyPair().publicKey }).catch((e) => e)).code).toBe("validation_error");

    await makeDue(byok.id);
    const run = await executeJob(rotationJob, { trigger: "manual", runner: "embedded" });
    expect(run!.counts.reminded).toBe(1);
    expect((await getPeer(u.actor, byok.id)).keyVersion).toBe(2); // not rotated by the server
    const again = await executeJob(rotationJob, { trigger: "manual", runner: "embedded" });
    expect(again!.counts.reminded).toBe(0); // once per due date
    const db = await getDb();
    const reminders = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, u.email), eq(emailOutbox.template, "rotation_reminder")));
    expect(reminders).toHaveLength(1);
  });

  it("the daily job rotates every due device once: a second run or a retried batch rotates nothing twice", async () => {
    const server = await makeServer({ ipv4Pool: "10.65.0.0/24" });
    const users = await Promise.all([makeUser(), makeUser()]);
    const peers = [];
    for (const [i, u] of users.entries()) for (let j = 0; j < 3; j++) peers.push(await createPeer(u.actor, { serverId: server.id, deviceName: `d${i}${j}`, deviceType: "other" }));
    for (const p of peers.slice(0, 4)) await makeDue(p.id);

    const run = await executeJob(rotationJob, { trigger: "manual", runner: "embedded" });
    expect(run).toMatchObject({ status: "succeeded", counts: { due: 4, rotated: 4, skipped: 0 } });
    const second = await executeJob(rotationJob, { trigger: "manual", runner: "embedded" });
    expect(second!.counts).toMatchObject({ due: 0, rotated: 0 });
    // a retried batch step with the same ids and time skips them
    expect(await rotateBatch(peers.slice(0, 4).map((p) => p.id), new Date())).toEqual({ rotated: 0, skipped: 4 });
    const db = await getDb();
    const versions = await db.select({ v: wireguardPeers.keyVersion }).from(wireguardPeers).where(sql`${wireguardPeers.serverId} = ${server.id}`);
    expect(versions.map((r) => r.v).sort()).toEqual([1, 1, 2, 2, 2, 2]);
  });

  it("runs on Inngest too (@inngest/test), rotating due devices once", async () => {
    const { u, peer } = await setup("10.66.0.0/24");
    await makeDue(peer.id);
    const fn = createJobFunction(rotationJob);
    const timer = { name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" } };
    const first = await new InngestTestEngine({ function: fn, events: [timer] }).execute();
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ status: "succeeded", counts: { rotated: 1 } });
    const second = await new InngestTestEngine({ function: fn, events: [timer] }).execute();
    expect(second.result).toMatchObject({ counts: { rotated: 0 } });
    expect((await getPeer(u.actor, peer.id)).keyVersion).toBe(2);
  });
});
