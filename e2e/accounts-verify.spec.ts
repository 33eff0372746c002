import { test, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { watch, type Spawned } from "../tests/support/spawned";
import { signInAs } from "./fixtures";

/**
 * SIGNUP_MODE on a production server (scripts/server.mjs) of this spec's own, on an embedded data
 * directory of its own (seeded with the demo accounts on its first start). `verify`: a new account
 * signs in with a banner, adds no device (page or API: 403 `email_not_verified`) until the link read
 * from the outbox is opened, then does. Then the same data directory is served again with `closed`:
 * the sign-up page says so, and a sign-up form left open from before is refused by the server.
 */

const PORT = Number(process.env.E2E_PORT ?? 3100) + 6;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = "verify me long passphrase";

interface App extends Spawned {
  child: ChildProcess;
}

let dataDir: string;
let app: App | null = null;
const contexts: BrowserContext[] = [];

async function startApp(mode: "verify" | "closed"): Promise<App> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    NODE_ENV: "production" as const,
    LOG_LEVEL: "info",
    APP_URL: BASE,
    SIGNUP_MODE: mode,
  };
  const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const started = { ...watch(child), child };
  app = started;
  await started.logged("server.started");
  return started;
}

async function stopApp() {
  if (!app) return;
  const stopping = app;
  app = null;
  if (!stopping.hasExited()) stopping.child.kill("SIGTERM");
  expect(await stopping.exited).toBe(0);
}

/** A browser of its own on this spec's server; its API calls say they come from the app (Origin), as the pages' do. */
async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE, viewport, extraHTTPHeaders: { origin: BASE } });
  contexts.push(context);
  return context.newPage();
}

/** The verification links sent to `to`, newest first, as an admin reads them at /admin/outbox. */
async function verificationLinks(admin: Page, to: string): Promise<string[]> {
  await admin.goto("/admin/outbox");
  const rows = admin.getByTestId("outbox-row").filter({ hasText: to }).filter({ hasText: "verify_email" });
  await expect(rows.first()).toBeVisible();
  const links: string[] = [];
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await admin.goto("/admin/outbox");
    await admin.getByTestId("outbox-row").filter({ hasText: to }).filter({ hasText: "verify_email" }).nth(i).getByRole("link").click();
    const text = admin.getByTestId("email-text");
    await expect(text).toBeVisible();
    const m = ((await text.textContent()) ?? "").match(/\/verify-email\/[A-Za-z0-9_-]{43}/);
    expect(m, `a /verify-email/ link in the email to ${to}`).not.toBeNull();
    expect((await text.textContent()) ?? "").toContain(`${BASE}/verify-email/`);
    links.push(m![0]);
  }
  return links;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-e2e-verify-"));
  const started = await startApp("verify");
  // The first start seeds the demo (accounts and servers at once, the history behind): wait until it is complete.
  await started.logged("db.seeded");
});

test.afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
  if (app && !app.hasExited()) app.child.kill("SIGKILL");
  await app?.exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const email = `verify-${Date.now()}@example.test`;

test("SIGNUP_MODE=verify: no device until the emailed link is opened; the banner says so and sends it again", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await newPage(browser);
  await page.goto("/sign-up");
  await expect(page.getByText("We will email you a link to confirm your address.")).toBeVisible();
  await page.getByLabel("Name").fill("Vera Verify");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-in\?verify=1/);
  await expect(page.getByText("Check your email: we sent a link to confirm your address.")).toBeVisible();

  // The account signs in and works, with the banner on its pages.
  await signInAs(page, { email, password: PASSWORD });
  const banner = page.getByTestId("verify-email-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Confirm your email address.");
  await expect(banner).toContainText(email);

  // Add device: the form is refused with the reason, and nothing is created.
  await page.getByRole("button", { name: "Add device" }).click();
  const dialog = page.locator("dialog[open]");
  await dialog.getByLabel("Device name").fill("Vera's laptop");
  await dialog.getByRole("button", { name: "Create device" }).click();
  await expect(dialog.getByText("Confirm your email address before adding a device: open the link we sent you, or send a new one.")).toBeVisible();
  await expect(dialog.getByTestId("device-created")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The API (same session) says so with its code.
  const servers = ((await (await page.request.get("/api/vpn/servers")).json()) as { items: { id: string }[] }).items;
  expect(servers.length).toBeGreaterThan(0);
  const refused = await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "Vera's phone", deviceType: "ios" } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("email_not_verified");
  expect(((await (await page.request.get("/api/vpn/peers")).json()) as { items: unknown[] }).items).toEqual([]);

  // Send the link again.
  await banner.getByRole("button", { name: "Send the link again" }).click();
  await expect(banner.getByText("Sent. Check your inbox.")).toBeVisible();

  // Two links in the outbox (sign-up and the resend); the newest one confirms the address.
  const admin = await newPage(browser);
  await signInAs(admin, "admin");
  const links = await verificationLinks(admin, email);
  expect(links).toHaveLength(2);
  expect(links[0]).not.toBe(links[1]);

  await page.goto(links[0]!);
  await expect(page.getByRole("heading", { name: "Confirm your email address" })).toBeVisible();
  // Opening the link changes nothing (mail scanners open links too): still unverified until the button is pressed.
  expect((await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "Too early", deviceType: "ios" } })).status()).toBe(403);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page).toHaveURL(/\/devices\?verified=1/);
  await expect(page.getByTestId("verify-email-banner")).toHaveCount(0);

  // Now a device can be added from the page.
  await page.getByRole("button", { name: "Add device" }).click();
  const add = page.locator("dialog[open]");
  await add.getByLabel("Device name").fill("Vera's laptop");
  await add.getByRole("button", { name: "Create device" }).click();
  await expect(add.getByTestId("device-created")).toBeVisible();
  await add.getByRole("button", { name: "Done" }).click();
  await expect(page.locator('[data-testid="device"][data-device-name="Vera\'s laptop"]')).toBeVisible();
  // And through the API.
  const created = await page.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "Vera's phone", deviceType: "ios" } });
  expect(created.status()).toBe(201);

  // The link is spent; the banner's button now says there is nothing to confirm.
  await page.goto(links[1]!);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByText(/This confirmation link is not valid any more/).first()).toBeVisible();
});

test("SIGNUP_MODE=closed: the sign-up page says so, and a sign-up form left open from before is refused", async ({ browser }) => {
  test.setTimeout(180_000);
  // A visitor opened the sign-up page while sign-up was still allowed...
  const stale = await newPage(browser);
  await stale.goto("/sign-up");
  await expect(stale.getByTestId("sign-up-form")).toBeVisible();

  // ...and the service is started again with sign-up closed (the same data).
  await stopApp();
  await startApp("closed");

  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto("/sign-up");
  await expect(page.getByTestId("sign-up-closed")).toContainText("Sign-up is closed");
  await expect(page.getByTestId("sign-up-closed")).toContainText("New accounts are created by an administrator");
  await expect(page.getByTestId("sign-up-form")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);

  // The old form reaches the server, which refuses it (403 forbidden in the service): no account is made.
  const closedEmail = `closed-${Date.now()}@example.test`;
  await stale.getByLabel("Name").fill("Late Comer");
  await stale.getByLabel("Email").fill(closedEmail);
  await stale.getByLabel("Password").fill(PASSWORD);
  await stale.getByRole("button", { name: "Create account" }).click();
  await expect(stale.getByTestId("form-error")).toHaveText("Sign-up is closed: ask an administrator for an account.");
  await expect(stale).toHaveURL(/\/sign-up$/);
  await stale.goto("/sign-in");
  await stale.getByLabel("Email").fill(closedEmail);
  await stale.getByLabel("Password").fill(PASSWORD);
  await stale.getByRole("button", { name: "Sign in" }).click();
  await expect(stale.getByTestId("form-error")).toHaveText("Email or password is incorrect.");

  // Existing accounts still sign in.
  await signInAs(page, { email, password: PASSWORD });
  await expect(page.getByTestId("verify-email-banner")).toHaveCount(0);
});
