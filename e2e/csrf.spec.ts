import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, ACCOUNTS, DEMO_PASSWORD } from "./fixtures";

/**
 * Cross-site request forgery from a real browser: a page on another port of
 * the same host (same site, so the session cookie goes along even with
 * SameSite=Lax) tries every kind of write a browser can send without asking:
 * fetch with a text/plain JSON body, form posts (text/plain, urlencoded,
 * multipart). None of them may change anything.
 */
const ATTACK = (target: string, peerId: string) => `<!doctype html><html><head><title>Win a prize</title></head><body>
<form id="f1" method="post" enctype="text/plain" action="${target}/api/vpn/peers/${peerId}/revoke"><input name='{"a":"' value='"}'></form>
<form id="f2" method="post" enctype="multipart/form-data" action="${target}/api/support/tickets">
  <input name="subject" value="CSRF ticket"><input name="description" value="Made by another site"><input name="category" value="other"><input name="priority" value="low">
</form>
<script>
(async () => {
  const opts = (body) => ({ method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body });
  await fetch("${target}/api/vpn/peers", opts(JSON.stringify({ serverId: document.body.dataset.server, deviceName: "CSRF device", deviceType: "linux" }))).catch(() => {});
  await fetch("${target}/api/vpn/peers/${peerId}/share", opts("")).catch(() => {});
  await fetch("${target}/api/vpn/peers/${peerId}/rotate", opts("{}")).catch(() => {});
  await fetch("${target}/api/support/tickets", opts(JSON.stringify({ subject: "CSRF ticket", description: "Made by another site", category: "other", priority: "low" }))).catch(() => {});
  await fetch("${target}/api/vpn/peers/${peerId}", { method: "POST", mode: "no-cors", credentials: "include" }).catch(() => {});
  document.title = "done";
})();
</script></body></html>`;

test("a page on another origin cannot write with the victim's cookie", async ({ browser, baseURL }) => {
  const target = new URL(baseURL!).origin;
  // A context of its own, without the suite's extra headers: they label every request as the app's own (fixtures.ts) and
  // would make the attacker's fetches non-simple (a preflight no attacker would trigger). A victim's browser adds nothing.
  const context = await browser.newContext({ baseURL: target, extraHTTPHeaders: {} });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ACCOUNTS.other);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/devices/);

  const own = { origin: target };
  const servers = await (await context.request.get("/api/vpn/servers")).json();
  const created = await context.request.post("/api/vpn/peers", { headers: own, data: { serverId: servers.items[0].id, deviceName: `Target ${Date.now() % 100000}`, deviceType: "linux" } });
  expect(created.status()).toBe(201);
  const peer = await created.json();
  const before = await (await context.request.get("/api/vpn/peers?limit=200")).json();
  const ticketsBefore = await (await context.request.get("/api/support/tickets")).json();

  const attacker = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(ATTACK(target, peer.id).replace("<body>", `<body data-server="${servers.items[0].id}">`));
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  const evil = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  try {
    const tab = await context.newPage();
    await tab.goto(`${evil}/`);
    await expect(tab).toHaveTitle("done", { timeout: 30_000 });
    // Form posts are navigations: each one leaves the attacker's page for the app's answer.
    for (const form of ["f1", "f2"]) {
      await tab.goto(`${evil}/`);
      await expect(tab).toHaveTitle("done", { timeout: 30_000 });
      const answer = tab.waitForResponse((r) => r.request().method() === "POST" && r.url().startsWith(target) && r.request().isNavigationRequest());
      await tab.evaluate((id) => (document.getElementById(id) as HTMLFormElement).submit(), form);
      const res = await answer;
      await tab.waitForURL((url) => url.origin === target);
      expect(res.status(), `${form}: ${res.url()}`).toBe(403);
    }

    // Nothing changed: no new device, the target device untouched (not revoked, not rotated), no ticket.
    const after = await (await context.request.get("/api/vpn/peers?limit=200")).json();
    expect(after.items.map((p: { id: string }) => p.id).sort()).toEqual(before.items.map((p: { id: string }) => p.id).sort());
    const still = await (await context.request.get(`/api/vpn/peers/${peer.id}`)).json();
    expect(still).toMatchObject({ status: "active", keyVersion: peer.keyVersion, publicKey: peer.publicKey });
    const ticketsAfter = await (await context.request.get("/api/support/tickets")).json();
    expect(ticketsAfter.items.length).toBe(ticketsBefore.items.length);

    // The rule itself, as the server states it.
    const post = (headers: Record<string, string>, data?: string) => context.request.post(`/api/vpn/peers/${peer.id}/rotate`, { headers, data });
    expect((await post({ origin: evil })).status()).toBe(403);
    expect((await post({ origin: "null" })).status()).toBe(403);
    expect((await post({ "sec-fetch-site": "same-site" })).status()).toBe(403);
    expect((await post({})).status()).toBe(403);
    const wrongType = await post({ origin: target, "content-type": "text/plain" }, "{}");
    expect(wrongType.status()).toBe(415);
    expect((await wrongType.json()).error.code).toBe("unsupported_media_type");
    expect((await post({ "sec-fetch-site": "same-origin", "content-type": "application/json" }, "{}")).status()).toBe(200);
  } finally {
    await new Promise((r) => attacker.close(r));
    await context.request.delete(`/api/vpn/peers/${peer.id}`, { headers: own });
    await context.close();
  }
});
