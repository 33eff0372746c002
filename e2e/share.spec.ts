import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { test, expect } from "./fixtures";

const hasZbar = (() => {
  try {
    execFileSync("zbarimg", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** The text of the QR code in `el`, read from a screenshot the way a phone camera would. */
async function decodeQr(el: Locator): Promise<string> {
  const shot = path.join(os.tmpdir(), `share-qr-${process.pid}-${Date.now()}.png`);
  await el.screenshot({ path: shot });
  try {
    return execFileSync("zbarimg", ["--raw", "-q", "-Sbinary", shot]).toString("utf8");
  } finally {
    fs.rmSync(shot, { force: true });
  }
}

/** A fresh device of the signed-in user, through the API as a script would make it. */
async function createDevice(page: Page, prefix: string) {
  const servers = await (await page.request.get("/api/vpn/servers")).json();
  const res = await page.request.post("/api/vpn/peers", {
    data: { serverId: servers.items[0].id, deviceName: `${prefix} ${Date.now() % 100000}`, deviceType: "android" },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; deviceName: string };
}

test.describe("send to my phone", () => {
  test("a one-time link reveals the config once in a signed-out browser, its QR code is the config, then it is dead", async ({ signIn, browser }) => {
    const page = await signIn("user");
    const peer = await createDevice(page, "Share");
    const config = await (await page.request.get(`/api/vpn/peers/${peer.id}/config`)).text();
    expect(config).toMatch(/^\[Interface\]\nPrivateKey = /);

    const shared = await page.request.post(`/api/vpn/peers/${peer.id}/share`);
    expect(shared.status()).toBe(201);
    const { url, expiresAt } = await shared.json();
    expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{22}$/);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    // APP_URL may name another host than the test server: open the same path here.
    const link = new URL(url).pathname;

    const phoneContext = await browser.newContext();
    const phone = await phoneContext.newPage();
    const first = await phone.goto(link);
    expect(first!.status()).toBe(200);
    const headers = first!.headers();
    expect(headers["cache-control"]).toMatch(/no-store/);
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-robots-tag"]).toMatch(/noindex/);
    expect(headers["x-frame-options"]).toBe("DENY");
    await expect(phone.getByRole("button", { name: "Reveal configuration" })).toBeVisible();
    await expect(phone.getByTestId("share-qr")).toHaveCount(0);
    expect(await phone.content()).not.toContain("PrivateKey");

    // Looking again (a link preview, a reload) does not use it up.
    expect((await phone.reload())!.status()).toBe(200);

    await phone.getByRole("button", { name: "Reveal configuration" }).click();
    const qr = phone.getByTestId("share-qr");
    await expect(qr).toBeVisible();
    expect(await phone.getByTestId("share-config").textContent()).toBe(config);
    if (hasZbar) expect(await decodeQr(qr)).toBe(config);

    // Used: 410 to GET and to POST, from anywhere.
    const reused = await phone.goto(link);
    expect(reused!.status()).toBe(410);
    await expect(phone.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
    expect((await phoneContext.request.post(link)).status()).toBe(410);
    await phoneContext.close();

    expect((await page.request.delete(`/api/vpn/peers/${peer.id}`)).status()).toBe(204);
  });

  test("the device card's Send to my phone shows the link as text and as a QR code, with its countdown", async ({ signIn }) => {
    const page = await signIn("user");
    const peer = await createDevice(page, "Tablet");
    await page.reload();
    const card = page.locator(`[data-testid="device"][data-device-id="${peer.id}"]`);
    await card.getByRole("button", { name: "Send to my phone" }).click();
    const dialog = page.locator("dialog[open]");
    const url = dialog.getByTestId("share-link-url");
    await expect(url).toHaveValue(/\/share\/[A-Za-z0-9_-]{22}$/);
    await expect(dialog.getByTestId("share-link-countdown")).toContainText(/Expires in 1[45]:\d\d/);
    const qr = dialog.getByTestId("share-link-qr");
    await expect(qr).toBeVisible();
    if (hasZbar) expect(await decodeQr(qr)).toBe(await url.inputValue());

    // The link it shows works (GET only: nothing is used up).
    const res = await page.request.get(new URL(await url.inputValue()).pathname);
    expect(res.status()).toBe(200);
    await page.keyboard.press("Escape");
    expect((await page.request.delete(`/api/vpn/peers/${peer.id}`)).status()).toBe(204);
  });
});

test.describe("device expiry on the device card", () => {
  test("an expired device says so and comes back with one click; an expiry can be set from the card", async ({ signIn }) => {
    const page = await signIn("user");
    const peer = await createDevice(page, "Old laptop");
    // Two seconds from now: the shortest honest wait for "expired" without reaching into the database.
    const soon = await page.request.patch(`/api/vpn/peers/${peer.id}/expiry`, { data: { expiresAt: new Date(Date.now() + 2000).toISOString() } });
    expect(soon.status()).toBe(200);
    await page.waitForTimeout(2500);
    await page.reload();
    const card = page.locator(`[data-testid="device"][data-device-id="${peer.id}"]`);
    await expect(card.getByTestId("device-expired")).toBeVisible();
    await expect(card.getByTestId("device-expiry")).toContainText("Expired on");

    await card.getByRole("button", { name: "Re-enable" }).click();
    await expect(page.getByTestId("device-notice")).toContainText("works again");
    await expect(card.getByTestId("device-expired")).toHaveCount(0);

    await card.getByRole("button", { name: "Set expiry" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Expires at (your local time)").fill("2031-01-15T10:30");
    await dialog.getByRole("button", { name: "Save expiry" }).click();
    await expect(card.getByTestId("device-expiry")).toContainText("Expires on");
    const api = await (await page.request.get(`/api/vpn/peers/${peer.id}`)).json();
    expect(api.expiresAt).toMatch(/^2031-01-1[45]T/);
    expect((await page.request.delete(`/api/vpn/peers/${peer.id}`)).status()).toBe(204);
  });
});
