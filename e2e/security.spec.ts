import { test, expect, signInAs } from "./fixtures";

test.describe("security headers and cookies", () => {
  test("pages carry a strict, per-request Content-Security-Policy and the other headers", async ({ page, request }) => {
    const res = await request.get("/sign-in");
    const h = res.headers();
    const csp = h["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const again = (await request.get("/sign-in")).headers()["content-security-policy"];
    expect(again).not.toBe(csp); // a fresh nonce every time
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toContain("strict-origin-when-cross-origin");
    expect(h["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(h["x-powered-by"]).toBeUndefined();

    // The page still works under the policy: no CSP violations while signing in.
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await signInAs(page, "user");
    expect(violations).toEqual([]);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name.includes("authjs.session-token"));
    expect(session).toBeTruthy();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
  });

  test("API answers are not cacheable and never framed", async ({ request }) => {
    const res = await request.get("/api/me");
    expect(res.status()).toBe(401);
    expect(res.headers()["cache-control"]).toContain("no-store");
    expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });

  test("a device's config is never stored and goes out as it is, uncompressed", async ({ signIn }) => {
    const page = await signIn("user");
    const servers = ((await (await page.request.get("/api/vpn/servers")).json()) as { items: { id: string }[] }).items;
    const created = await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: `Uncompressed ${Date.now()}`, deviceType: "linux" } });
    expect(created.status()).toBe(201);
    const device = (await created.json()) as { id: string };
    const res = await page.request.get(`/api/vpn/peers/${device.id}/config`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("no-store, no-transform");
    expect(res.headers()["content-encoding"]).toBeUndefined();
    expect(await res.text()).toMatch(/^\[Interface\]/);
    expect((await page.request.post(`/api/vpn/peers/${device.id}/revoke`)).status()).toBe(200);
    expect((await page.request.delete(`/api/vpn/peers/${device.id}`)).status()).toBe(204);
  });
});
