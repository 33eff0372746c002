import { createRequire } from "node:module";
import type { Browser, Page } from "@playwright/test";
import { generate } from "otplib";
import { test, expect, signInAs } from "./fixtures";

const require = createRequire(import.meta.url);

/**
 * Accounts people run themselves: forgot password (the link read from the
 * outbox), a password change, two-factor sign-in with codes computed here from
 * the enrolled secret, and the staff requirement. Every flow uses fresh
 * accounts: the demo accounts stay without two-factor for the other specs.
 */

const PASSWORD = "first long passphrase";
let n = 0;
const freshEmail = (what: string) => `${what}-${Date.now()}-${++n}@example.test`;

/** A fresh account signed up in this page (SIGNUP_MODE=open): it lands on its devices. */
async function signUp(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Fresh Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/devices/);
}

/** A browser of its own (its own cookies), with the test's headers. */
async function newBrowser(browser: Browser, baseURL: string, testTitle: string, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { origin: new URL(baseURL).origin, "x-e2e-test": encodeURIComponent(testTitle) } });
  return { context, page: await context.newPage() };
}

/** The newest email of a template to an address, as an admin reads it at /admin/outbox; returns its plain text. */
async function readOutbox(admin: Page, to: string, template: string): Promise<string> {
  await admin.goto("/admin/outbox");
  const row = admin.getByTestId("outbox-row").filter({ hasText: to }).filter({ hasText: template }).first();
  await expect(row).toBeVisible();
  await row.getByRole("link").click();
  const text = admin.getByTestId("email-text");
  await expect(text).toBeVisible();
  return (await text.textContent()) ?? "";
}

/** The path of the newest link of that kind in the email. */
async function linkFromOutbox(admin: Page, to: string, template: string, path: string): Promise<string> {
  const text = await readOutbox(admin, to, template);
  const m = text.match(new RegExp(`/${path}/[A-Za-z0-9_-]{43}`));
  expect(m, `a /${path}/ link in the email to ${to}`).not.toBeNull();
  return m![0];
}

/** A TOTP code from the enrolled secret, `steps` 30-second steps from now (the app accepts one either side). */
const code = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** Enrols the signed-in account from Settings; returns the secret the page showed and the recovery codes. */
async function enrolInSettings(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto("/settings");
  await page.getByTestId("two-factor-card").getByRole("button", { name: "Set up two-factor sign-in" }).click();
  return finishEnrolment(page, "I saved them");
}

/** The enrolment's steps once the QR code is on screen (Settings and the required page share them). */
async function finishEnrolment(page: Page, doneLabel: string) {
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill(await code(secret));
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  const recoveryCodes = (await page.getByTestId("recovery-code").allTextContents()).map((c) => c.trim());
  await page.getByRole("button", { name: doneLabel }).click();
  return { secret, recoveryCodes };
}

/** Email and password, then the code asked for on the second step. */
async function signInWithCode(page: Page, email: string, password: string, theCode: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await page.getByLabel("Authentication code").fill(theCode);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling").toBeLessThanOrEqual(0);
}

async function axe(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve("axe-core") });
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (el: Element) => Promise<{ violations: { id: string; help: string }[] }> } }).axe;
    return (await axe.run(document.querySelector(sel)!)).violations.map((v) => `${v.id}: ${v.help}`);
  }, selector);
}

test.describe("passwords", () => {
  test("forgot password: the link read from the outbox sets a new password once, and ends the session of every browser", async ({ page, browser, baseURL }, info) => {
    const email = freshEmail("reset");
    const signedIn = await newBrowser(browser, baseURL!, info.title);
    await signUp(signedIn.page, email);
    expect((await signedIn.context.request.get("/api/me")).status()).toBe(200);

    // A phone-sized visitor asks for a link from the sign-in page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await noSidewaysScroll(page);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("reset-requested")).toContainText("If " + email + " has a SecureWave account");
    // An unknown address gets the very same page.
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(freshEmail("nobody"));
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("reset-requested")).toContainText("has a SecureWave account, we sent it a link");

    const admin = await newBrowser(browser, baseURL!, info.title);
    await signInAs(admin.page, "admin");
    const link = await linkFromOutbox(admin.page, email, "password_reset", "reset-password");

    await page.goto(link);
    await noSidewaysScroll(page);
    await page.getByLabel("New password", { exact: true }).fill("second long passphrase");
    await page.getByLabel("Repeat the new password").fill("second long passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/sign-in\?reset=1/);
    await expect(page.getByText("Your password was changed and every session was signed out.")).toBeVisible();

    // The other browser's session ended on the server: its API calls and its pages fail.
    const ended = await signedIn.context.request.get("/api/me");
    expect(ended.status()).toBe(401);
    await signedIn.page.goto("/devices");
    await expect(signedIn.page).toHaveURL(/\/sign-in/);

    // The link works once.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("third long passphrase");
    await page.getByLabel("Repeat the new password").fill("third long passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByTestId("reset-link-invalid")).toBeVisible();

    await signInAs(page, { email, password: "second long passphrase" });
    await admin.context.close();
    await signedIn.context.close();
  });

  test("the reset routes live beside Auth.js's own under /api/auth, and both answer", async ({ request }) => {
    const asked = await request.post("/api/auth/password-reset", { data: { email: freshEmail("api-nobody") } });
    expect(asked.status()).toBe(202);
    const bogus = await request.post("/api/auth/password-reset/confirm", { data: { token: "A".repeat(43), newPassword: "whatever long enough" } });
    expect(bogus.status()).toBe(400);
    expect((await bogus.json()).error).toMatchObject({ code: "validation_error", details: [{ path: "token" }] });
    const csrf = await request.get("/api/auth/csrf");
    expect(csrf.status()).toBe(200);
    expect((await csrf.json()).csrfToken).toEqual(expect.any(String));
  });

  test("changing the password in Settings signs the other browser out and keeps this one; the list says where in words", async ({ page, browser, baseURL }, info) => {
    const email = freshEmail("change");
    await signUp(page, email);
    const other = await newBrowser(browser, baseURL!, info.title);
    await signInAs(other.page, { email, password: PASSWORD });

    await page.goto("/settings");
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(/Chrome on (Linux|Windows|macOS)/);
    await expect(rows.first()).toContainText(/\d+\.\d+\.\d+\.\d+|[0-9a-f:]+:[0-9a-f]+/);
    await expect(rows.first()).toContainText("active now");
    await expect(rows.nth(1)).toContainText(/last active (just now|\d+ min ago)/);

    const form = page.getByTestId("change-password-form");
    await form.getByLabel("Current password").fill("not the password at all");
    await form.getByLabel("New password", { exact: true }).fill("changed long passphrase");
    await form.getByLabel("Repeat the new password").fill("changed long passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("Your current password is not right")).toBeVisible();
    expect((await other.context.request.get("/api/me")).status()).toBe(200);

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password", { exact: true }).fill("changed long passphrase");
    await form.getByLabel("Repeat the new password").fill("changed long passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-changed")).toContainText("1 other session was signed out.");
    await expect(page.getByTestId("session-row")).toHaveCount(1);

    expect((await other.context.request.get("/api/me")).status()).toBe(401);
    await other.page.goto("/settings");
    await expect(other.page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/me")).status()).toBe(200);
    await signInAs(other.page, { email, password: "changed long passphrase" });
    await other.context.close();
  });
});

test.describe("two-factor sign-in", () => {
  test("enrol with the QR code's secret, sign in with a computed code and with a recovery code (once), then turn it off", async ({ page, browser, baseURL }, info) => {
    const email = freshEmail("totp");
    await signUp(page, email);
    const { secret, recoveryCodes } = await enrolInSettings(page);
    const card = page.getByTestId("two-factor-card");
    await expect(card.getByText("On", { exact: true })).toBeVisible();
    await expect(card.getByTestId("recovery-codes-left")).toHaveText("10 recovery codes left.");

    // Another browser: the password alone leads to the code step; a wrong code is refused next to the field.
    const second = await newBrowser(browser, baseURL!, info.title);
    await signInWithCode(second.page, email, PASSWORD, "000000" === (await code(secret, 1)) ? "111111" : "000000");
    await expect(second.page.getByText("That code is not right")).toBeVisible();
    await expect(second.page).toHaveURL(/\/sign-in/);
    // The code for the next step (the enrolment used this one): signed in.
    await second.page.getByLabel("Authentication code").fill(await code(secret, 1));
    await second.page.getByRole("button", { name: "Verify and sign in" }).click();
    await expect(second.page).toHaveURL(/\/devices/);

    // A recovery code signs in once.
    const third = await newBrowser(browser, baseURL!, info.title, { width: 390, height: 844 });
    await signInWithCode(third.page, email, PASSWORD, recoveryCodes[0]!);
    await expect(third.page).toHaveURL(/\/devices/);
    const fourth = await newBrowser(browser, baseURL!, info.title);
    await signInWithCode(fourth.page, email, PASSWORD, recoveryCodes[0]!);
    await expect(fourth.page.getByText("That code is not right")).toBeVisible();

    // At 390 px the Settings card fits and passes axe.
    await third.page.goto("/settings");
    await expect(third.page.getByTestId("recovery-codes-left")).toHaveText("9 recovery codes left.");
    await noSidewaysScroll(third.page);

    // Turning it off takes the password and a code; then the password alone signs in.
    await page.reload();
    const off = page.getByTestId("disable-two-factor-form");
    await off.getByLabel("Password").fill(PASSWORD);
    await off.getByLabel("Code or recovery code").fill(recoveryCodes[1]!);
    await off.getByRole("button", { name: "Turn off two-factor" }).click();
    await expect(card.getByRole("button", { name: "Set up two-factor sign-in" })).toBeVisible();
    await signInAs(fourth.page, { email, password: PASSWORD });
    for (const b of [second, third, fourth]) await b.context.close();
  });

  test("the enrolment card fits a phone and passes axe", async ({ browser }, info) => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, extraHTTPHeaders: { "x-e2e-test": encodeURIComponent(info.title) } });
    const page = await phone.newPage();
    await signUp(page, freshEmail("phone"));
    await page.goto("/settings");
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    await noSidewaysScroll(page);
    expect(await axe(page, '[data-testid="two-factor-card"]')).toEqual([]);
    expect(await axe(page, '[data-testid="change-password-form"]')).toEqual([]);
    await phone.close();
  });

  test("admins require it of staff: an agent without it is held at the enrolment page until done; an admin can reset it", async ({ page, browser, baseURL }, info) => {
    const bossEmail = freshEmail("boss");
    const agentEmail = freshEmail("agent");
    const boss = await newBrowser(browser, baseURL!, info.title);
    await signUp(boss.page, bossEmail);
    const agent = await newBrowser(browser, baseURL!, info.title, { width: 390, height: 844 });
    await signUp(agent.page, agentEmail);

    // The demo admin makes one of them an administrator and the other a support agent.
    await signInAs(page, "admin");
    for (const [who, role] of [[bossEmail, "Administrator"], [agentEmail, "Support agent"]] as const) {
      await page.goto(`/admin/users?q=${encodeURIComponent(who)}`);
      await page.getByRole("button", { name: `Change role of ${who}` }).click();
      await page.getByRole("dialog").getByLabel("Role").selectOption({ label: role });
      await page.getByRole("dialog").getByRole("button", { name: "Save role" }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);
    }

    // The new admin may require it only with two-factor of their own.
    await boss.page.goto("/admin/security");
    await boss.page.getByRole("button", { name: "Require two-factor for staff" }).click();
    await expect(boss.page.getByTestId("form-error")).toContainText("Turn on two-factor sign-in for your own account first");
    await enrolInSettings(boss.page);
    await boss.page.goto("/admin/security");
    try {
      await boss.page.getByRole("button", { name: "Require two-factor for staff" }).click();
      await expect(boss.page.getByText("Two-factor sign-in is now required for staff.")).toBeVisible();

      // The agent, already signed in, is sent to the enrolment page from their next page on; the API refuses them.
      await agent.page.goto("/agent/tickets");
      await expect(agent.page).toHaveURL(/\/setup-two-factor$/);
      await expect(agent.page.getByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();
      const api = await agent.context.request.get("/api/me");
      expect(api.status()).toBe(403);
      expect((await api.json()).error.code).toBe("two_factor_required");
      await agent.page.goto("/settings");
      await expect(agent.page).toHaveURL(/\/setup-two-factor$/);
      await noSidewaysScroll(agent.page);

      await agent.page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
      await finishEnrolment(agent.page, "I saved them, continue");
      await expect(agent.page).toHaveURL(/\/(devices|agent\/tickets)/);
      await agent.page.goto("/agent/tickets");
      await expect(agent.page).toHaveURL(/\/agent\/tickets/);
      expect((await agent.context.request.get("/api/me")).status()).toBe(200);

      // The boss resets the agent's two-factor (a lost phone): audited, and the agent is held again.
      const agentId = ((await (await agent.context.request.get("/api/me")).json()) as { id: string }).id;
      await boss.page.goto(`/admin/users/${agentId}`);
      const twoFactor = boss.page.getByTestId("user-two-factor-card");
      await twoFactor.getByRole("button", { name: `Reset two-factor sign-in of ${agentEmail}` }).click();
      await expect(twoFactor.getByText("Not set up.")).toBeVisible();
      await agent.page.goto("/devices");
      await expect(agent.page).toHaveURL(/\/setup-two-factor$/);
      // Signing out is the other way out.
      await agent.page.getByRole("button", { name: "Sign out" }).click();
      await expect(agent.page).toHaveURL(/\/sign-in/);
    } finally {
      // Whatever happened above, the demo staff accounts of the other specs must not be held at the enrolment page.
      const res = await boss.context.request.patch("/api/admin/settings", { data: { requireStaffTwoFactor: false } });
      expect(res.status()).toBe(200);
    }
    await boss.page.goto("/admin/security");
    await expect(boss.page.getByRole("button", { name: "Require two-factor for staff" })).toBeVisible();
    await boss.context.close();
    await agent.context.close();
  });
});
