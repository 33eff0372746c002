import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, signInAs } from "./fixtures";

const hasZbar = (() => {
  try {
    execFileSync("zbarimg", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

test.describe("devices", () => {
  test("a user adds a device, scans its QR code, downloads and revokes it; another user cannot reach it", async ({ page, browser }) => {
    await signInAs(page, "user");
    const name = `Laptop ${Date.now() % 100000}`;
    await page.getByRole("button", { name: "Add device" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Device name").fill(name);
    await dialog.getByLabel("Device type").selectOption("linux");
    await dialog.getByRole("button", { name: "Create device" }).click();
    await expect(dialog.getByTestId("device-created")).toBeVisible();
    await dialog.getByRole("button", { name: "Done" }).click();

    const card = page.locator(`[data-testid="device"][data-device-name="${name}"][data-device-status="active"]`);
    await expect(card).toBeVisible();
    const id = await card.getAttribute("data-device-id");
    expect(id).toBeTruthy();

    // The QR code on the page decodes, from a screenshot, to the config byte for byte.
    await card.getByRole("button", { name: "Show QR code" }).click();
    const qrDialog = page.locator("dialog[open]");
    const qr = qrDialog.getByTestId("device-qr");
    await expect(qr).toBeVisible();
    const configText = (await qrDialog.getByTestId("device-config").textContent({ timeout: 5000 }))!;
    expect(configText).toMatch(/^\[Interface\]\nPrivateKey = /);
    if (hasZbar) {
      const shot = path.join(os.tmpdir(), `qr-${Date.now()}.png`);
      await qr.screenshot({ path: shot });
      const decoded = execFileSync("zbarimg", ["--raw", "-q", "-Sbinary", shot]).toString("utf8");
      expect(decoded).toBe(configText);
      fs.rmSync(shot);
    }
    await page.keyboard.press("Escape");

    // The download is the same config, named after the device.
    const [download] = await Promise.all([page.waitForEvent("download"), card.getByText("Download .conf").click()]);
    expect(download.suggestedFilename()).toMatch(/^Laptop-\d+\.conf$/);
    const file = await download.path();
    expect(fs.readFileSync(file!, "utf8")).toBe(configText);

    // Another user: not in their list, 404 by id through the API, and not on their page.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInAs(otherPage, "other");
    await expect(otherPage.locator(`[data-device-id="${id}"]`)).toHaveCount(0);
    for (const suffix of ["", "/config", "/qr"]) {
      const res = await otherPage.request.get(`/api/vpn/peers/${id}${suffix}`);
      expect(res.status()).toBe(404);
    }
    expect((await otherPage.request.post(`/api/vpn/peers/${id}/revoke`)).status()).toBe(404);
    await other.close();

    // Revoke.
    await card.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("button", { name: "Confirm revoke" }).click();
    await expect(page.locator(`[data-device-id="${id}"]`)).toHaveAttribute("data-device-status", "revoked");
    const api = await page.request.get(`/api/vpn/peers/${id}`);
    expect((await api.json()).status).toBe("revoked");
  });

  test("rotating a device shows that a new configuration is ready", async ({ page }) => {
    await signInAs(page, "user");
    const name = `Phone ${Date.now() % 100000}`;
    const created = await page.request.post("/api/vpn/peers", {
      data: { serverId: (await (await page.request.get("/api/vpn/servers")).json()).items[0].id, deviceName: name, deviceType: "android" },
    });
    expect(created.status()).toBe(201);
    await page.reload();
    const card = page.locator(`[data-testid="device"][data-device-name="${name}"]`);
    await card.getByRole("button", { name: "Rotate now" }).click();
    await page.getByRole("button", { name: "Confirm rotate" }).click();
    await expect(card.getByTestId("device-rotation-pending")).toContainText("New configuration ready");
  });
});
