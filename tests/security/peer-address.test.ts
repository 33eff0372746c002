import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import * as app from "@/lib/http/peer-address";
import * as plain from "@/scripts/peer-address.mjs";

/**
 * The per-process peer-address header is what the per-address sign-in
 * lockout counts by. Next runs instrumentation.ts only once it prepares,
 * after the production server listens (and in production not even before
 * its prepare() returns: the render server's own preparation is awaited per
 * request), so the server installs the header itself before it listens.
 */
describe("the peer-address header is installed before the first request can be accepted", () => {
  it("scripts/server.mjs installs it before it creates and starts its listener", () => {
    const src = fs.readFileSync("scripts/server.mjs", "utf8");
    const installed = src.indexOf("installPeerAddressHeader();");
    expect(installed).toBeGreaterThan(0);
    expect(installed).toBeLessThan(src.indexOf("http.createServer("));
    expect(installed).toBeLessThan(src.indexOf("server.listen("));
  });

  it("the app and the server share one implementation (one header name per process)", () => {
    expect(app.installPeerAddressHeader).toBe(plain.installPeerAddressHeader);
    expect(app.peerAddress).toBe(plain.peerAddress);
  });

  it("once installed, a request carries its TCP peer, whatever header of that name the client sent", async () => {
    app.installPeerAddressHeader();
    const name = (globalThis as { __swPeerHeader?: string }).__swPeerHeader!;
    const seen: (string | null)[] = [];
    const server = http.createServer((req, res) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      seen.push(app.peerAddress(headers));
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [name]: "203.0.113.9" } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(["127.0.0.1"]);
  });
});
