import fs from "node:fs";
import { test, expect } from "./fixtures";
import { CAPTURE } from "./support/capture";

/**
 * The production server's direct lane (scripts/server.mjs): a device's config
 * and QR code go straight to their route handlers, past Next's router. The
 * lane is on (a Next upgrade that changed how the build's routes load would
 * turn it off: this says so), and its answers carry the same headers as
 * Next's answer for the same route (HEAD, which Next serves), with the same
 * errors for another user's device and for ids no device has.
 */
const IGNORED = new Set(["date", "connection", "keep-alive", "x-request-id", "content-length", "transfer-encoding", "vary"]);
const headersOf = (all: Record<string, string>) => Object.fromEntries(Object.entries(all).filter(([k]) => !IGNORED.has(k)));

test("config and QR downloads take the direct lane, with Next's headers and errors", async ({ signIn }) => {
  const listening = fs
    .readFileSync(CAPTURE.log, "utf8")
    .split("\n")
    .filter((line) => line.includes('"msg":"server.listening"'))
    .map((line) => JSON.parse(line) as { directLane: string[] });
  expect(listening.at(-1)?.directLane).toEqual(["/api/vpn/peers/[id]/config", "/api/vpn/peers/[id]/qr"]);

  const page = await signIn("user");
  const peers = (await (await page.request.get("/api/vpn/peers")).json()) as { items: { id: string }[] };
  const id = peers.items[0]!.id;
  for (const suffix of ["config", "qr"]) {
    const url = `/api/vpn/peers/${id}/${suffix}`;
    const lane = await page.request.get(url);
    const next = await page.request.head(url);
    expect(lane.status()).toBe(200);
    expect(next.status()).toBe(200);
    expect(headersOf(lane.headers())).toEqual(headersOf(next.headers()));
    expect(lane.headers()["cache-control"]).toMatch(/^no-store/);
    expect(lane.headers()["x-request-id"]).toBeTruthy();
    const body = await lane.body();
    if (suffix === "config") expect(body.toString("utf8")).toMatch(/^\[Interface\]\nPrivateKey = /);
    else expect(body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }

  // Ids no device has, written every odd way, get the API's 404 — never a 500 or a stack.
  for (const bad of ["not-an-id", "%E0%A4%A", "%00", `${id}%00`, "..%2F..%2Fetc%2Fpasswd"]) {
    const res = await page.request.get(`/api/vpn/peers/${bad}/config`);
    expect(res.status(), bad).toBe(404);
    expect((await res.json()).error.code, bad).toBe("not_found");
  }

  // Another user's device: the same 404; no session: 401.
  const other = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  try {
    const otherPage = await other.newPage();
    const anonymous = await otherPage.request.get(`/api/vpn/peers/${id}/qr`);
    expect(anonymous.status()).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthenticated");
  } finally {
    await other.close();
  }
});
