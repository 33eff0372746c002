import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { generate } from "otplib";
import { test, expect, signInAs, type Who } from "./fixtures";

/**
 * Plans and devices, moving a device, deleting an account: what a user does
 * alone, and what an admin decides. Destructive flows use fresh accounts made
 * through the sign-up page; the demo accounts are left as they are.
 */

const PASSWORD = "a long enough password";
type Account = { email: string; password: string; id: string };

async function signUp(browser: Browser, name: string): Promise<Account> {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/devices/);
  const id = ((await (await page.request.get("/api/me")).json()) as { id: string }).id;
  await context.close();
  return { email, password: PASSWORD, id };
}

async function as(browser: Browser, who: Who | Account, options: BrowserContextOptions = {}): Promise<Page> {
  // The strict page CSP would refuse axe's injected script.
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test.describe.configure({ mode: "serial" });

test.describe("plans and devices", () => {
  let account: Account;

  test.beforeAll(async ({ browser }) => {
    account = await signUp(browser, "Plan Person");
  });

  test("at the plan's device limit, Add device is disabled with the reason, before any form is filled", async ({ browser }) => {
    const page = await as(browser, account);
    const limit = (await (await page.request.get("/api/me/plan")).json()).plan.deviceLimit as number;
    const servers = (await (await page.request.get("/api/vpn/servers")).json()).items as { id: string }[];
    await expect(page.getByTestId("device-allowance")).toContainText(`0 of ${limit}`);
    await expect(page.getByRole("button", { name: "Add device" })).toBeEnabled();
    for (let i = 0; i < limit; i++) {
      const res = await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: `Device ${i + 1}`, deviceType: "linux" } });
      expect(res.status(), await res.text()).toBe(201);
    }
    await page.reload();
    await expect(page.getByTestId("device-allowance")).toContainText(`${limit} of ${limit}`);
    const add = page.getByRole("button", { name: "Add device" });
    await expect(add).toBeDisabled();
    const reason = page.getByTestId("device-limit-reason");
    await expect(reason).toContainText(`allows ${limit} devices`);
    // The button is described by its reason for screen readers.
    const describedBy = await add.getAttribute("aria-describedby");
    expect(describedBy).toBeTruthy();
    await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(await reason.innerText());

    // Revoking one enables it again, without a reload (the count follows the list).
    const card = page.locator('[data-testid="device"][data-device-name="Device 1"]');
    await card.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("button", { name: "Confirm revoke" }).click();
    await expect(page.getByTestId("device-allowance")).toContainText(`${limit - 1} of ${limit}`);
    await expect(add).toBeEnabled();
  });

  test("a device moves to another server from its settings; the page says to scan the new QR code", async ({ browser }) => {
    const page = await as(browser, account);
    const card = page.locator('[data-testid="device"][data-device-name="Device 2"][data-device-status="active"]');
    const id = (await card.getAttribute("data-device-id"))!;
    const before = await (await page.request.get(`/api/vpn/peers/${id}`)).json();
    const configBefore = await (await page.request.get(`/api/vpn/peers/${id}/config`)).text();

    await card.getByRole("button", { name: "Settings" }).click();
    const dialog = page.locator("dialog[open]");
    const move = dialog.getByTestId("move-device");
    await expect(move.getByRole("heading", { name: "Move to another server" })).toBeVisible();
    const target = await move.getByLabel("New server").inputValue();
    expect(target).not.toBe(before.serverId);
    await move.getByRole("button", { name: "Move device" }).click();

    const moved = dialog.getByTestId("device-moved");
    await expect(moved).toBeVisible();
    await expect(moved).toContainText("Scan the new QR code");
    await expect(moved).toContainText("the old configuration no longer connects");
    const shown = (await moved.getByTestId("device-config").textContent({ timeout: 5000 }))!;
    await moved.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("device-notice")).toContainText("Scan its new QR code");

    const after = await (await page.request.get(`/api/vpn/peers/${id}`)).json();
    expect(after).toMatchObject({ id, serverId: target, publicKey: before.publicKey });
    expect(after.ipv4).not.toBe(before.ipv4);
    const configAfter = await (await page.request.get(`/api/vpn/peers/${id}/config`)).text();
    expect(shown).toBe(configAfter);
    expect(configAfter).not.toBe(configBefore);
    expect(configAfter.match(/^PrivateKey = .*$/m)?.[0]).toBe(configBefore.match(/^PrivateKey = .*$/m)?.[0]);
    expect(configAfter).toContain(`Address = ${after.ipv4}/32`);

    // The QR dialog shows the new configuration, not a cached copy of the old one.
    await card.getByRole("button", { name: "Show QR code" }).click();
    await expect.poll(() => page.locator("dialog[open]").getByTestId("device-config").textContent()).toBe(configAfter);
  });

  test("a device is renamed from its Settings dialog: the card and the API show the new name", async ({ browser }) => {
    const owner = await signUp(browser, "Renaming Person");
    const page = await as(browser, owner);
    const servers = (await (await page.request.get("/api/vpn/servers")).json()).items as { id: string }[];
    const created = await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "Old laptop", deviceType: "linux" } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.reload();

    const card = page.locator(`[data-testid="device"][data-device-id="${id}"]`);
    await expect(card).toHaveAttribute("data-device-name", "Old laptop");
    await card.getByRole("button", { name: "Settings" }).click();
    const dialog = page.locator("dialog[open]");
    await expect(dialog.getByRole("heading", { name: "Settings of “Old laptop”" })).toBeVisible();
    await dialog.getByLabel("Device name").fill("Work laptop");
    await dialog.getByRole("button", { name: "Save settings" }).click();
    await expect(page.locator("dialog[open]")).toHaveCount(0);

    // The card follows without a reload, and the API has the new name.
    await expect(card).toHaveAttribute("data-device-name", "Work laptop");
    await expect(card.getByRole("heading", { name: "Work laptop" })).toBeVisible();
    const peer = await (await page.request.get(`/api/vpn/peers/${id}`)).json();
    expect(peer).toMatchObject({ id, deviceName: "Work laptop" });
    // And after a reload.
    await page.reload();
    await expect(card).toHaveAttribute("data-device-name", "Work laptop");
    await page.context().close();
  });

  test("the plan page shows the plan and its use; a requested plan is approved by an admin and applies at once", async ({ browser }) => {
    const page = await as(browser, account);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Plan" }).click();
    await expect(page).toHaveURL(/\/plan$/);
    await expect(page.getByTestId("current-plan-name")).toHaveText("Free");
    const mine = await (await page.request.get("/api/me/plan")).json();
    await expect(page.getByTestId("plan-devices")).toHaveText(`${mine.devicesUsed} of ${mine.plan.deviceLimit}`);
    await expect(page.getByTestId("plan-data")).toContainText(/resets on|month turns on/);

    const premium = page.locator('[data-testid="plan-offer"][data-plan-id="premium"]');
    await premium.getByRole("button", { name: "Request the Premium plan" }).click();
    await expect(page.getByTestId("plan-request-pending")).toContainText("Premium");
    // While it waits, no other plan can be asked for, and the page says why.
    const basic = page.locator('[data-testid="plan-offer"][data-plan-id="basic"]');
    await expect(basic.getByRole("button", { name: "Request Basic" })).toBeDisabled();
    await expect(basic).toContainText("waiting for a decision");

    const admin = await as(browser, "admin");
    await admin.goto("/admin/plan-requests");
    const row = admin.locator(`[data-testid="plan-request"][data-user-email="${account.email}"]`);
    await expect(row).toContainText("Free → Premium");
    await row.getByLabel("Note for the user (optional)").fill("Enjoy the extra devices");
    await row.getByRole("button", { name: /^Approve/ }).click();
    await expect(row.getByTestId("plan-request-outcome")).toContainText("now on Premium");

    await page.reload();
    await expect(page.getByTestId("current-plan-name")).toHaveText("Premium");
    await expect(page.getByTestId("plan-request-decided")).toContainText("Enjoy the extra devices");
    await expect(page.getByTestId("plan-devices")).toHaveText(`${mine.devicesUsed} of 20`);
    await page.goto("/devices");
    await expect(page.getByTestId("device-allowance")).toContainText(`${mine.devicesUsed} of 20`);
    await expect(page.getByRole("button", { name: "Add device" })).toBeEnabled();
  });

  test("an admin edits a plan; its subscribers have the new limit at once", async ({ browser }) => {
    const admin = await as(browser, "admin");
    await admin.goto("/admin/plans");
    const card = admin.locator('[data-testid="admin-plan"][data-plan-id="premium"]');
    await card.getByRole("button", { name: "Edit plan Premium" }).click();
    const dialog = admin.locator("dialog[open]");
    await dialog.getByLabel("Device limit").fill("25");
    await dialog.getByRole("button", { name: "Save plan" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(card.getByTestId("admin-plan-devices")).toHaveText("25");

    const page = await as(browser, account);
    expect((await (await page.request.get("/api/me/plan")).json()).plan.deviceLimit).toBe(25);
    await page.goto("/plan");
    await expect(page.getByTestId("plan-devices")).toContainText("of 25");
    // Back as it was, for the other specs.
    expect((await admin.request.patch("/api/admin/plans/premium", { data: { deviceLimit: 20 } })).status()).toBe(200);
  });

  test("an account with more devices than a page sees the first 50, then the rest on demand", async ({ browser }) => {
    const account = await signUp(browser, "Fleet Owner");
    const admin = await as(browser, "admin");
    const planId = `fleet-${Date.now().toString(36)}`;
    expect((await admin.request.post("/api/admin/plans", { data: { id: planId, name: "Fleet", deviceLimit: 60 } })).status()).toBe(201);
    expect((await admin.request.post(`/api/admin/users/${account.id}/plan`, { data: { planId } })).status()).toBe(200);
    const page = await as(browser, account);
    const servers = (await (await page.request.get("/api/vpn/servers")).json()).items as { id: string }[];
    for (let i = 0; i < 53; i++) {
      const res = await page.request.post("/api/vpn/peers", { data: { serverId: servers[i % servers.length]!.id, deviceName: `Sensor ${String(i + 1).padStart(2, "0")}`, deviceType: "linux" } });
      expect(res.status()).toBe(201);
    }
    await page.goto("/devices");
    await expect(page.getByRole("heading", { name: "Active devices (53)" })).toBeVisible();
    await expect(page.getByTestId("device")).toHaveCount(50);
    await expect(page.getByTestId("devices-shown")).toHaveText("Showing 50 of 53 devices");
    await page.getByTestId("devices-more").click();
    await expect(page.getByTestId("device")).toHaveCount(53);
    await expect(page.getByTestId("devices-more")).toHaveCount(0);
    await expect(page.locator('[data-testid="device"][data-device-name="Sensor 53"]')).toBeVisible();
    // The allowance counts every device, not only the page shown.
    await expect(page.getByTestId("device-allowance")).toHaveAttribute("data-used", "53");
    await page.context().close();
    await admin.context().close();
  });

  test("the plan pages fit 390 px and 1440 px and pass axe", async ({ browser }) => {
    test.setTimeout(120_000);
    for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
      const user = await as(browser, account, { viewport });
      for (const where of ["/plan", "/devices"]) {
        await user.goto(where);
        expect(await overflow(user), `${where} at ${viewport.width} px`).toBeLessThanOrEqual(0);
        expect(await seriousViolations(user), where).toEqual([]);
      }
      const admin = await as(browser, "admin", { viewport });
      for (const where of ["/admin/plans", "/admin/plan-requests?status=all"]) {
        await admin.goto(where);
        expect(await overflow(admin), `${where} at ${viewport.width} px`).toBeLessThanOrEqual(0);
        expect(await seriousViolations(admin), where).toEqual([]);
      }
      await user.context().close();
      await admin.context().close();
    }
  });
});

/** A TOTP code from the enrolled secret, `steps` 30-second steps from now (the app accepts one either side). */
const totp = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

test.describe("deleting an account", () => {
  test("with two-factor on, the deletion also takes a code: a wrong one is refused, the one computed from the secret accepted", async ({ browser }) => {
    const account = await signUp(browser, "Careful Person");
    const page = await as(browser, account);
    // Enrol through the JSON API the Settings card uses; the code of this step turns it on.
    const setup = await page.request.post("/api/me/2fa/setup");
    expect(setup.status()).toBe(200);
    const { secret } = (await setup.json()) as { secret: string };
    const enabled = await page.request.post("/api/me/2fa/enable", { data: { code: await totp(secret) } });
    expect(enabled.status(), await enabled.text()).toBe(200);

    await page.goto("/settings");
    await page.getByTestId("delete-account").getByRole("button", { name: "Delete account…" }).click();
    const dialog = page.locator("dialog[open]");
    await expect(dialog.getByText("Confirm with your password and a two-factor code.")).toBeVisible();
    const codeField = dialog.getByLabel("Two-factor code or recovery code");
    await expect(codeField).toBeVisible();

    // The right password with a wrong code: refused next to the code field; the account stays.
    const next = await totp(secret, 1);
    await dialog.getByLabel("Your password").fill(account.password);
    await codeField.fill(next === "000000" ? "111111" : "000000");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(dialog.getByText("The code is not correct")).toBeVisible();
    await expect(page).toHaveURL(/\/settings$/);
    expect((await page.request.get("/api/me")).status()).toBe(200);

    // The next step's code (the enrolment spent this one): deleted, signed out everywhere.
    await dialog.getByLabel("Your password").fill(account.password);
    await codeField.fill(await totp(secret, 1));
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
    await page.context().close();
  });

  test("a user deletes their account with their password; it can no longer sign in", async ({ browser }) => {
    const account = await signUp(browser, "Leaving Person");
    const page = await as(browser, account);
    const servers = (await (await page.request.get("/api/vpn/servers")).json()).items as { id: string }[];
    const peer = await (await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "Phone", deviceType: "ios" } })).json();

    await page.goto("/settings");
    const section = page.getByTestId("delete-account");
    await section.getByRole("button", { name: "Delete account…" }).click();
    const dialog = page.locator("dialog[open]");
    await expect(dialog.getByRole("heading", { name: "Delete your account?" })).toBeVisible();
    // A wrong password is refused next to the field; nothing happens.
    await dialog.getByLabel("Your password").fill("not my password");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(dialog.getByText("The password is not correct")).toBeVisible();
    await expect(page).toHaveURL(/\/settings$/);

    await dialog.getByLabel("Your password").fill(account.password);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/me")).status()).toBe(401);

    // The same email and password no longer sign in.
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");

    // The admin console shows the device revoked and the account anonymised.
    const admin = await as(browser, "admin");
    const report = await (await admin.request.get(`/api/admin/users/${account.id}/report`)).json();
    expect(JSON.stringify(report)).not.toContain(account.email);
    const peersOfServer = await admin.request.get(`/api/admin/peers?q=${encodeURIComponent(peer.publicKey)}`);
    if (peersOfServer.ok()) {
      const items = ((await peersOfServer.json()) as { items: { status: string }[] }).items;
      for (const item of items) expect(item.status).toBe("revoked");
    }
  });
});
