import { describe, expect, it } from "vitest";
import * as peersRoute from "@/app/api/vpn/peers/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import * as configRoute from "@/app/api/vpn/peers/[id]/config/route";
import * as qrRoute from "@/app/api/vpn/peers/[id]/qr/route";
import * as revokeRoute from "@/app/api/vpn/peers/[id]/revoke/route";
import * as serversRoute from "@/app/api/vpn/servers/route";
import * as agentConfigRoute from "@/app/api/agent/config/route";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

describe("VPN API", () => {
  it("lists servers with public facts only", async () => {
    const server = await makeServer({ name: "Frankfurt 1" });
    const u = await makeUser();
    const res = await call(serversRoute.GET, { token: u.token });
    expect(res.status).toBe(200);
    const item = res.json.items.find((s: { id: string }) => s.id === server.id);
    expect(item).toEqual({ id: server.id, name: "Frankfurt 1", region: "eu-west", endpoint: "vpn.example.test:51820", status: "offline", load: 0 });
    expect(res.text).not.toMatch(/privateKey|agentToken|sealed/i);
  });

  it("creates, reads, downloads, revokes and deletes a device", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const created = await call(peersRoute.POST, { token: u.token, body: { serverId: server.id, deviceName: "My Laptop", deviceType: "macos" } });
    expect(created.status).toBe(201);
    const id = created.json.id;
    expect(Object.keys(created.json)).toEqual(expect.arrayContaining(["id", "serverId", "deviceName", "deviceType", "publicKey", "ipv4", "ipv6", "status", "keyVersion", "lastKeyRotationAt", "nextKeyRotationAt", "daysSinceRotation", "lastHandshakeAt", "endpoint", "bytesSent", "bytesReceived", "createdAt"]));
    expect(created.text).not.toMatch(/private|preshared/i);

    const list = await call(peersRoute.GET, { token: u.token });
    expect(list.json.items.map((p: { id: string }) => p.id)).toEqual([id]);

    const one = await call(peerRoute.GET, { token: u.token, params: { id } });
    expect(one.json.stats).toMatchObject({ activity: "never_connected", online: false });

    const conf = await call(configRoute.GET, { token: u.token, params: { id } });
    expect(conf.status).toBe(200);
    expect(conf.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(conf.headers.get("content-disposition")).toBe('attachment; filename="My-Laptop.conf"');
    expect(conf.text).toMatch(/^\[Interface\]\nPrivateKey = /);

    const qr = await call(qrRoute.GET, { token: u.token, params: { id } });
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toBe("image/png");

    const revoked = await call(revokeRoute.POST, { token: u.token, params: { id } });
    expect(revoked.json.status).toBe("revoked");
    const gone = await call(configRoute.GET, { token: u.token, params: { id } });
    expect(gone.status).toBe(410);

    const del = await call(peerRoute.DELETE, { method: "DELETE", token: u.token, params: { id } });
    expect(del.status).toBe(204);
    expect((await call(peerRoute.GET, { token: u.token, params: { id } })).status).toBe(404);
  });

  it("answers the error shapes of API.md", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const bad = await call(peersRoute.POST, { token: u.token, body: { serverId: server.id, deviceName: "", deviceType: "toaster", publicKey: "abc" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["deviceName", "deviceType", "publicKey"]);

    const notJson = await call(peersRoute.POST, { token: u.token, rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);

    const unknown = await call(peersRoute.POST, { token: u.token, body: { serverId: "00000000-0000-0000-0000-000000000000", deviceName: "x", deviceType: "ios" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");

    for (let i = 0; i < 5; i++) await call(peersRoute.POST, { token: u.token, body: { serverId: server.id, deviceName: `d${i}`, deviceType: "ios" } });
    const limit = await call(peersRoute.POST, { token: u.token, body: { serverId: server.id, deviceName: "d5", deviceType: "ios" } });
    expect(limit.status).toBe(409);
    expect(limit.json.error.code).toBe("device_limit_reached");

    const huge = await call(peersRoute.POST, { token: u.token, rawBody: JSON.stringify({ deviceName: "x".repeat(2_000_000) }), headers: { "content-type": "application/json" } });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe("payload_too_large");
  });

  it("hides another user's device behind 404 everywhere", async () => {
    const server = await makeServer();
    const alice = await makeUser();
    const bob = await makeUser();
    const created = await call(peersRoute.POST, { token: alice.token, body: { serverId: server.id, deviceName: "phone", deviceType: "ios" } });
    const id = created.json.id;
    for (const [handler, method] of [[peerRoute.GET, "GET"], [configRoute.GET, "GET"], [qrRoute.GET, "GET"], [revokeRoute.POST, "POST"], [peerRoute.DELETE, "DELETE"]] as const) {
      const res = await call(handler, { method, token: bob.token, params: { id } });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(created.json.publicKey);
    }
    expect((await call(peersRoute.GET, { token: bob.token })).json.items).toEqual([]);
  });

  it("serves the agent its config only with its agent token, with ETag and 304", async () => {
    const server = await makeServer();
    const u = await makeUser();
    expect((await call(agentConfigRoute.GET, { token: u.token })).status).toBe(401);
    expect((await call(agentConfigRoute.GET, {})).status).toBe(401);
    const res = await call(agentConfigRoute.GET, { token: server.agentToken });
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await call(agentConfigRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    // the agent token is not a user credential
    expect((await call(peersRoute.GET, { token: server.agentToken })).status).toBe(401);
  });
});
