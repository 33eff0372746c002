import { describe, expect, it } from "vitest";
import * as qrRoute from "@/app/api/vpn/peers/[id]/qr/route";
import { createPeer, revokePeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

describe("GET /api/vpn/peers/:id/qr", () => {
  it("answers a PNG by default and an SVG with ?format=svg, never cached; another format is a 400; another user's device a 404", async () => {
    const server = await makeServer();
    const owner = await makeUser();
    const other = await makeUser();
    const peer = await createPeer(owner.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });

    const png = await call(qrRoute.GET, { token: owner.token, params: { id: peer.id }, path: `/api/vpn/peers/${peer.id}/qr` });
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("cache-control")).toBe("no-store");

    const svg = await call(qrRoute.GET, { token: owner.token, params: { id: peer.id }, path: `/api/vpn/peers/${peer.id}/qr?format=svg` });
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get("cache-control")).toBe("no-store");
    expect(svg.text.startsWith("<svg")).toBe(true);

    const gif = await call(qrRoute.GET, { token: owner.token, params: { id: peer.id }, path: `/api/vpn/peers/${peer.id}/qr?format=gif` });
    expect(gif.status).toBe(400);
    expect(gif.json.error.code).toBe("validation_error");

    const theirs = await call(qrRoute.GET, { token: other.token, params: { id: peer.id }, path: `/api/vpn/peers/${peer.id}/qr?format=svg` });
    expect(theirs.status).toBe(404);
  });

  it("a drawn code is reused only for the same config: a rotation draws a new one, a revoked device gets none", async () => {
    const server = await makeServer();
    const owner = await makeUser();
    const peer = await createPeer(owner.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    const get = () => call(qrRoute.GET, { token: owner.token, params: { id: peer.id }, path: `/api/vpn/peers/${peer.id}/qr` });
    const first = await get();
    const again = await get();
    expect(again.text).toBe(first.text);
    await rotatePeer(owner.actor, peer.id);
    const rotated = await get();
    expect(rotated.status).toBe(200);
    expect(rotated.text).not.toBe(first.text);
    await revokePeer(owner.actor, peer.id);
    expect((await get()).status).toBe(410);
  });
});
