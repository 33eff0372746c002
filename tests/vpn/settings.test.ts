import { describe, expect, it, afterEach } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onPath } from "../support/netns";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { vpnServers, wireguardPeers } from "@/db/schema";
import * as serverRoute from "@/app/api/admin/servers/[id]/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import * as configRoute from "@/app/api/vpn/peers/[id]/config/route";
import * as qrRoute from "@/app/api/vpn/peers/[id]/qr/route";
import * as agentConfigRoute from "@/app/api/agent/config/route";
import { createPeer } from "@/lib/services/peers";
import { defaultIpv4Pool } from "@/lib/services/servers";
import { parseEnv, resetEnv } from "@/lib/env";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

const DAY = 86_400_000;

async function device(server: { id: string }, u: Awaited<ReturnType<typeof makeUser>>, name = `d-${Math.random().toString(36).slice(2, 8)}`) {
  return createPeer(u.actor, { serverId: server.id, deviceName: name, deviceType: "linux" });
}

/** Modules per side of a QR PNG with a 4-module quiet zone at `scale` px per module. */
function qrModules(png: Buffer, scale: number): number {
  const width = png.readUInt32BE(16);
  expect(png.readUInt32BE(20)).toBe(width);
  expect(width % scale).toBe(0);
  return width / scale - 8;
}

describe("server MTU", () => {
  it("defaults to 1420 in the client config, the QR code and the agent's config", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const peer = await device(server, u);
    const conf = await call(configRoute.GET, { token: u.token, params: { id: peer.id } });
    expect(conf.text).toMatch(/^\[Interface\]\n(?:[^[\n].*\n)*MTU = 1420\n\n\[Peer\]/);

    const qr = await call(qrRoute.GET, { token: u.token, params: { id: peer.id } });
    expect(qr.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await (await qrRoute.GET(...(await qrArgs(u.token, peer.id)))).arrayBuffer());
    const modules = qrModules(png, 10);
    // QR versions have 17 + 4v modules per side.
    expect((modules - 17) % 4).toBe(0);
    if (onPath("zbarimg")) {
      const dir = mkdtempSync(join(tmpdir(), "sw-qr-"));
      try {
        writeFileSync(join(dir, "qr.png"), png);
        const decoded = spawnSync("zbarimg", ["--raw", "-q", "-Sbinary", join(dir, "qr.png")], { encoding: "utf8" }).stdout;
        expect(decoded.replace(/\n$/, "")).toBe(conf.text.replace(/\n$/, ""));
        expect(decoded).toContain("\nMTU = 1420\n");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    const agent = await call(agentConfigRoute.GET, { token: server.agentToken });
    expect(agent.status).toBe(200);
    expect(agent.text).toMatch(/^\[Interface\]\nPrivateKey = .{44}\nListenPort = 51820\n# securewave: mtu=1420\n/);
  });

  it("every server row has an MTU: the column defaults to 1420 and the migration backfilled old rows", async () => {
    const db = await getDb();
    const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(vpnServers).where(sql`${vpnServers.mtu} is null`);
    expect(n).toBe(0);
    // A row written without the column (as servers from before the column became required) gets 1420.
    const server = await makeServer();
    await db.execute(sql`update vpn_servers set mtu = default where id = ${server.id}`);
    const [row] = await db.select({ mtu: vpnServers.mtu }).from(vpnServers).where(eq(vpnServers.id, server.id));
    expect(row!.mtu).toBe(1420);
    const dir = "db/migrations";
    const migration = readdirSync(dir).find((f) => /^0015_.*\.sql$/.test(f))!;
    expect(readFileSync(`${dir}/${migration}`, "utf8")).toMatch(/UPDATE "vpn_servers" SET "mtu" = 1420 WHERE "mtu" IS NULL/);
  });

  it("PATCH /api/admin/servers/:id changes it for admins only, within 1280-9000, with a new agent ETag", async () => {
    const server = await makeServer();
    const admin = await makeUser("admin");
    const u = await makeUser();
    const peer = await device(server, u);
    const first = await call(agentConfigRoute.GET, { token: server.agentToken });
    const etag = first.headers.get("etag")!;
    expect((await call(agentConfigRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag } })).status).toBe(304);

    const patch = (token: string, body: unknown) => call(serverRoute.PATCH, { method: "PATCH", token, params: { id: server.id }, body });
    expect((await patch(u.token, { mtu: 1380 })).status).toBe(403);
    for (const mtu of [1279, 9001, 1400.5, "x"]) {
      const bad = await patch(admin.token, { mtu });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe("validation_error");
    }
    expect((await patch(admin.token, { bogus: 1 })).status).toBe(400);

    const ok = await patch(admin.token, { mtu: 1380, name: `renamed-${server.id.slice(0, 6)}`, region: "eu-central", endpoint: "vpn2.example.test:51821", dns: "9.9.9.9" });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: server.id, mtu: 1380, region: "eu-central", endpoint: "vpn2.example.test:51821", endpointPort: 51821, dns: "9.9.9.9" });

    const after = await call(agentConfigRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.text).toContain("# securewave: mtu=1380\n");

    // The MTU alone also changes the config (and its ETag).
    const etag2 = after.headers.get("etag")!;
    expect((await patch(admin.token, { mtu: 1280 })).json.mtu).toBe(1280);
    const third = await call(agentConfigRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag2 } });
    expect(third.status).toBe(200);
    expect(third.text).toContain("# securewave: mtu=1280\n");

    const conf = await call(configRoute.GET, { token: u.token, params: { id: peer.id } });
    expect(conf.text).toContain("\nMTU = 1280\n");
    expect(conf.text).toContain("Endpoint = vpn2.example.test:51821");

    const missing = await call(serverRoute.PATCH, { method: "PATCH", token: admin.token, params: { id: "00000000-0000-0000-0000-000000000000" }, body: { mtu: 1400 } });
    expect(missing.status).toBe(404);
  });

  it("server:create's --mtu and the create input accept 1280-9000", async () => {
    expect((await makeServer({ mtu: 9000 })).id).toBeTruthy();
    await expect(makeServer({ mtu: 1200 })).rejects.toThrow(/MTU/);
  });
});

/** A fresh request for the QR route (the call helper reads bodies as text). */
async function qrArgs(token: string, id: string) {
  const { NextRequest } = await import("next/server");
  const req = new NextRequest(new URL(`/api/vpn/peers/${id}/qr`, "http://localhost:3000"), { headers: { authorization: `Bearer ${token}` } });
  return [req, { params: Promise.resolve({ id }) }] as const;
}

describe("PATCH /api/vpn/peers/:id", () => {
  afterEach(() => {
    resetEnv({ ROTATION_INTERVAL_MIN_DAYS: undefined, ROTATION_INTERVAL_MAX_DAYS: undefined });
  });

  it("renames a device and changes its rotation interval, moving the next rotation", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const peer = await device(server, u, "Laptop");
    await device(server, u, "Phone");
    const patch = (token: string, body: unknown, id = peer.id) => call(peerRoute.PATCH, { method: "PATCH", token, params: { id }, body });

    const renamed = await patch(u.token, { deviceName: "Work laptop" });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: peer.id, deviceName: "Work laptop", rotationIntervalDays: 90 });
    expect(renamed.json.stats).toBeDefined();
    // Same name in another case only changes the spelling of its own name.
    expect((await patch(u.token, { deviceName: "WORK laptop" })).json.deviceName).toBe("WORK laptop");
    const dup = await patch(u.token, { deviceName: "phone" });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe("duplicate_name");

    const db = await getDb();
    const lastRotation = new Date(Date.now() - 10 * DAY);
    await db.update(wireguardPeers).set({ lastKeyRotationAt: lastRotation }).where(eq(wireguardPeers.id, peer.id));
    const changed = await patch(u.token, { rotationIntervalDays: 30 });
    expect(changed.status).toBe(200);
    expect(changed.json.rotationIntervalDays).toBe(30);
    expect(new Date(changed.json.nextKeyRotationAt).getTime()).toBe(lastRotation.getTime() + 30 * DAY);

    // Never rotated: counted from the creation.
    await db.update(wireguardPeers).set({ lastKeyRotationAt: null }).where(eq(wireguardPeers.id, peer.id));
    const [row] = await db.select({ createdAt: wireguardPeers.createdAt }).from(wireguardPeers).where(eq(wireguardPeers.id, peer.id));
    const fromCreation = await patch(u.token, { rotationIntervalDays: 7 });
    expect(new Date(fromCreation.json.nextKeyRotationAt).getTime()).toBe(row!.createdAt.getTime() + 7 * DAY);

    // Someone else's device is not found; anonymous callers are not let in.
    const other = await makeUser();
    expect((await patch(other.token, { deviceName: "Mine" })).status).toBe(404);
    expect((await call(peerRoute.PATCH, { method: "PATCH", params: { id: peer.id }, body: { deviceName: "x" } })).status).toBe(401);
  });

  it("refuses intervals outside the configured bounds with 400 validation_error", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const peer = await device(server, u);
    const patch = (body: unknown) => call(peerRoute.PATCH, { method: "PATCH", token: u.token, params: { id: peer.id }, body });
    for (const days of [0, 366, 1.5, -3, "soon"]) {
      const res = await patch({ rotationIntervalDays: days });
      expect(res.status, String(days)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    expect((await patch({ rotationIntervalDays: 1 })).status).toBe(200);
    expect((await patch({ rotationIntervalDays: 365 })).status).toBe(200);

    resetEnv({ ROTATION_INTERVAL_MIN_DAYS: "7", ROTATION_INTERVAL_MAX_DAYS: "30" });
    const low = await patch({ rotationIntervalDays: 6 });
    expect(low.status).toBe(400);
    expect(low.json.error.details).toEqual([{ path: "rotationIntervalDays", message: "Rotation interval must be 7-30 days" }]);
    expect((await patch({ rotationIntervalDays: 31 })).status).toBe(400);
    expect((await patch({ rotationIntervalDays: 30 })).json.rotationIntervalDays).toBe(30);
    expect((await patch({ deviceName: "" })).status).toBe(400);
  });

  it("validates the bounds' configuration", () => {
    expect(parseEnv({}).ROTATION_INTERVAL_MIN_DAYS).toBe(1);
    expect(parseEnv({}).ROTATION_INTERVAL_MAX_DAYS).toBe(365);
    expect(() => parseEnv({ ROTATION_INTERVAL_MIN_DAYS: "0" })).toThrow(/ROTATION_INTERVAL_MIN_DAYS/);
    expect(() => parseEnv({ ROTATION_INTERVAL_MIN_DAYS: "40", ROTATION_INTERVAL_MAX_DAYS: "30" })).toThrow(/ROTATION_INTERVAL_MIN_DAYS/);
  });
});

describe("IP_POOL_END", () => {
  afterEach(() => {
    resetEnv({ IP_POOL_START: undefined, IP_POOL_END: undefined });
  });

  it("shapes the default IPv4 pool of new servers", async () => {
    expect(defaultIpv4Pool()).toBe("10.8.0.0/24");
    resetEnv({ IP_POOL_START: "10.66.1", IP_POOL_END: "126" });
    expect(defaultIpv4Pool()).toBe("10.66.1.0/25");
    resetEnv({ IP_POOL_START: "10.66.2", IP_POOL_END: "14" });
    expect(defaultIpv4Pool()).toBe("10.66.2.0/28");
    const server = await makeServer();
    const db = await getDb();
    const [row] = await db.select({ pool: vpnServers.ipv4Pool, capacity: vpnServers.capacity }).from(vpnServers).where(eq(vpnServers.id, server.id));
    expect(row!.pool).toBe("10.66.2.0/28");
    const u = await makeUser();
    // .1 is the server; devices get .2 up to IP_POOL_END (.14).
    const addresses: string[] = [];
    for (let i = 0; i < 5; i++) addresses.push((await device(server, u)).ipv4);
    expect(addresses[0]).toBe("10.66.2.2");
    expect(addresses.every((a) => Number(a.split(".")[3]) <= 14)).toBe(true);
  });

  it("accepts only the last host of an aligned block", () => {
    for (const end of ["254", "126", "62", "30", "14", "6"]) expect(() => parseEnv({ IP_POOL_END: end })).not.toThrow();
    for (const end of ["200", "255", "2", "0"]) expect(() => parseEnv({ IP_POOL_END: end })).toThrow(/IP_POOL_END/);
  });
});
