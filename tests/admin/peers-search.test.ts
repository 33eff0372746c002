import { beforeAll, describe, expect, it } from "vitest";
import { createPeer, revokePeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { ingestDump } from "@/lib/services/telemetry";
import { classifyPeerQuery, listPeersForAdmin } from "@/lib/dal/admin-peers";
import { GET } from "@/app/api/admin/peers/route";
import { resetEnv } from "@/lib/env";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

describe("classifyPeerQuery", () => {
  it("a whole address or key is an exact match; anything else a prefix", () => {
    expect(classifyPeerQuery("10.8.0.2")).toEqual({ kind: "ipv4", value: "10.8.0.2" });
    expect(classifyPeerQuery(" 10.8.0.2/32 ")).toEqual({ kind: "ipv4", value: "10.8.0.2" });
    // IPv6 in any text form finds the canonical form the database stores.
    expect(classifyPeerQuery("FD42:0008:0000:0001:0000:0000:0000:0002")).toEqual({ kind: "ipv6", value: "fd42:8:0:1::2" });
    const key = "MDMLqyYumaFcglFWVzVsd2TMJsIF0C6Jtiw04XnBiQU=";
    expect(classifyPeerQuery(key)).toEqual({ kind: "key", value: key });
    expect(classifyPeerQuery("10.8.")).toEqual({ kind: "prefix", lower: "10.8.", raw: "10.8." });
    expect(classifyPeerQuery("Alice@")).toEqual({ kind: "prefix", lower: "alice@", raw: "Alice@" });
    expect(classifyPeerQuery("   ")).toBeNull();
  });
});

describe("GET /api/admin/peers", () => {
  let ctx: Awaited<ReturnType<typeof fixture>>;
  async function fixture() {
    const fra = await makeServer({ name: "Search Frankfurt", ipv4Pool: "10.61.0.0/24", ipv6Pool: "fd61:61:61:1::/64" });
    const nyc = await makeServer({ name: "Search New York", ipv4Pool: "10.62.0.0/24", ipv6Pool: "fd62:62:62:1::/64" });
    const alice = await makeUser("user", { email: `carol-${Date.now()}@search.test` });
    const bob = await makeUser("user", { email: `dave-${Date.now()}@search.test` });
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const laptop = await createPeer(alice.actor, { serverId: fra.id, deviceName: "Work Laptop", deviceType: "linux" });
    const phone = await createPeer(alice.actor, { serverId: nyc.id, deviceName: "Phone 100%_x", deviceType: "ios" });
    const tablet = await createPeer(bob.actor, { serverId: fra.id, deviceName: "Tablet", deviceType: "android" });
    const old = await createPeer(bob.actor, { serverId: nyc.id, deviceName: "Old desktop", deviceType: "windows" });
    await revokePeer(bob.actor, old.id);
    // The laptop handshakes now: it is online.
    await ingestDump(fra.id, makeDump([{ publicKey: laptop.publicKey, handshake: new Date(), endpoint: "198.51.100.7:51000", rx: 10, tx: 20 }]));
    return { fra, nyc, alice, bob, admin, agent, laptop, phone, tablet, old };
  }
  beforeAll(async () => {
    resetEnv({ DEFAULT_DEVICE_LIMIT: "20" });
    ctx = await fixture();
  });

  const get = async (query: Record<string, string>, token = ctx.admin.token) => {
    const path = `/api/admin/peers?${new URLSearchParams(query)}`;
    return call(GET as never, { method: "GET", path, token });
  };
  const names = (res: { json: { items: { deviceName: string }[] } }) => res.json.items.map((p) => p.deviceName).sort();

  it("answers {items, nextCursor} with owner email, device name, addresses, public key, status and last handshake", async () => {
    const res = await get({ q: ctx.laptop.publicKey });
    expect(res.status).toBe(200);
    expect(res.json.nextCursor).toBeNull();
    expect(res.json.items).toHaveLength(1);
    const item = res.json.items[0];
    expect(item).toMatchObject({
      id: ctx.laptop.id,
      ownerEmail: ctx.alice.email,
      deviceName: "Work Laptop",
      ipv4: ctx.laptop.ipv4,
      ipv6: ctx.laptop.ipv6,
      publicKey: ctx.laptop.publicKey,
      status: "active",
      online: true,
      serverId: ctx.fra.id,
      serverName: "Search Frankfurt",
    });
    expect(Date.parse(item.lastHandshakeAt)).toBeGreaterThan(Date.now() - 60_000);
    // Never a private or preshared key.
    expect(JSON.stringify(res.json)).not.toMatch(/sealed|privateKey|presharedKey/i);
  });

  it("searches owner email, device name, addresses and keys", async () => {
    expect(names(await get({ q: ctx.alice.email.slice(0, 6).toUpperCase() }))).toEqual(["Phone 100%_x", "Work Laptop"]);
    expect(names(await get({ q: "work lap" }))).toEqual(["Work Laptop"]);
    expect(names(await get({ q: ctx.tablet.ipv4 }))).toEqual(["Tablet"]);
    expect(names(await get({ q: ctx.phone.ipv6.toUpperCase() }))).toEqual(["Phone 100%_x"]);
    expect(names(await get({ q: "10.62.0." }))).toEqual(["Old desktop", "Phone 100%_x"]);
    expect(names(await get({ q: ctx.tablet.publicKey.slice(0, 10) }))).toEqual(["Tablet"]);
    // LIKE's wildcards are searched for as text.
    expect(names(await get({ q: "phone 100%_" }))).toEqual(["Phone 100%_x"]);
    expect(names(await get({ q: "%" }))).toEqual([]);
    expect(names(await get({ q: "nobody-matches-this" }))).toEqual([]);
  });

  it("finds a rotated device by its old key too", async () => {
    const before = ctx.tablet.publicKey;
    await rotatePeer(ctx.bob.actor, ctx.tablet.id);
    expect(names(await get({ q: before }))).toEqual(["Tablet"]);
  });

  it("filters by server and status, alone and with a search", async () => {
    expect(names(await get({ serverId: ctx.nyc.id }))).toEqual(["Old desktop", "Phone 100%_x"]);
    expect(names(await get({ status: "revoked" }))).toEqual(["Old desktop"]);
    const active = names(await get({ status: "active" }));
    expect(active).toEqual(expect.arrayContaining(["Phone 100%_x", "Tablet", "Work Laptop"]));
    expect(active).not.toContain("Old desktop");
    expect(names(await get({ status: "online" }))).toEqual(["Work Laptop"]);
    expect(names(await get({ status: "offline", serverId: ctx.fra.id }))).toEqual(["Tablet"]);
    expect(names(await get({ q: ctx.alice.email, serverId: ctx.fra.id }))).toEqual(["Work Laptop"]);
    // Blank filters (a form left at "All") are no filter.
    expect((await get({ q: "", serverId: "", status: "" })).json.items.length).toBeGreaterThanOrEqual(4);
  });

  it("pages newest first with a cursor, every device once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get({ limit: "1", ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((p: { id: string }) => p.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([ctx.laptop.id, ctx.phone.id, ctx.tablet.id, ctx.old.id]));
    // The newest first.
    expect(seen.indexOf(ctx.old.id)).toBeLessThan(seen.indexOf(ctx.laptop.id));
  });

  it("refuses bad input with 400 and other roles with 403", async () => {
    expect((await get({ status: "sleeping" })).status).toBe(400);
    expect((await get({ serverId: "not an id" })).status).toBe(400);
    expect((await get({ cursor: "garbage" })).status).toBe(400);
    expect((await get({ limit: "500" })).status).toBe(400);
    expect((await get({ q: "x".repeat(201) })).status).toBe(400);
    expect((await get({}, ctx.alice.token)).status).toBe(403);
    expect((await get({}, ctx.agent.token)).status).toBe(403);
    await expect(listPeersForAdmin(ctx.agent.actor, {})).rejects.toMatchObject({ code: "forbidden" });
  });
});
