import type { Browser, Page } from "@playwright/test";
import { test, expect, signInAs } from "./fixtures";

/**
 * Abuse mitigation in the browser, through the app only: a fresh account
 * with a device; an admin opens an incident by hand from the queue, sends
 * the warning (it lands in the outbox), throttles the devices from the
 * incident; the user's devices page says so; the admin's user page shows
 * the history and lifts the throttle in one click, and the notice goes.
 * Then a support agent turns one of that user's tickets into a user report.
 * The pages that changed are checked at 390 px and 1440 px.
 */

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function fitsBothWidths(page: Page) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await overflow(page), `horizontal overflow at ${width} px on ${page.url()}`).toBeLessThanOrEqual(0);
  }
}

/** A fresh account (SIGNUP_MODE=open) in a browser of its own, with a device on the first server. */
async function freshUserWithDevice(browser: Browser, baseURL: string, title: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { origin: new URL(baseURL).origin, "x-e2e-test": encodeURIComponent(title) } });
  const page = await context.newPage();
  const email = `throttled-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Heavy User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/devices/);
  const servers = await (await page.request.get("/api/vpn/servers")).json();
  const created = await page.request.post("/api/vpn/peers", { data: { serverId: servers.items[0].id, deviceName: "Seedbox", deviceType: "linux" } });
  expect(created.status()).toBe(201);
  return { context, page, email, peer: await created.json() };
}

test.describe("abuse mitigation", () => {
  test.describe.configure({ timeout: 120_000 });

  test("open an incident by hand, warn, throttle; the user sees it on their devices; lifted in one click from the user page", async ({ page, browser, baseURL }, testInfo) => {
    const user = await freshUserWithDevice(browser, baseURL!, testInfo.titlePath.join(" › "));
    await signInAs(page, "admin");

    // The queue: "Open incident" against the account, by email.
    await page.goto("/admin/abuse");
    await page.getByRole("button", { name: "Open incident" }).click();
    const open = page.locator("dialog[open]");
    await open.getByLabel("Account email").fill(user.email);
    await open.getByLabel("Type").selectOption("excessive_bandwidth");
    await open.getByLabel("Severity").selectOption("high");
    await open.getByLabel("What was seen").fill("4.1 TB downloaded in a day from a seedbox");
    await open.getByRole("button", { name: "Open incident" }).click();
    await expect(page).toHaveURL(/\/admin\/abuse\/[0-9a-f-]+$/);
    const summary = page.getByTestId("incident-summary");
    await expect(summary).toContainText("Manual");
    await expect(summary).toContainText("admin@securewave.test");
    await expect(page.getByTestId("incident-warning")).toHaveText("Not sent");

    // Send the warning: recorded on the incident, in its history, and in the outbox.
    await page.getByRole("button", { name: "Send warning" }).click();
    const warn = page.locator("dialog[open]");
    await warn.getByLabel("Note (optional)").fill("Please schedule your transfers.");
    await warn.getByRole("button", { name: "Send warning" }).click();
    await expect(page.getByTestId("incident-warning")).toContainText("Sent by admin@securewave.test");
    await expect(page.getByTestId("incident-history")).toContainText("Sent a warning");
    await expect(page.getByRole("button", { name: "Send warning" })).toHaveCount(0);

    // Throttle from the incident: 2 Mbit/s for 2 hours.
    await page.getByRole("button", { name: "Throttle devices" }).click();
    const throttle = page.locator("dialog[open]");
    await throttle.getByLabel("Rate (kbit/s)").fill("2000");
    await throttle.getByLabel("Hours").fill("2");
    await throttle.getByLabel("Reason (optional)").fill("Until the transfers stop");
    await throttle.getByRole("button", { name: "Throttle devices" }).click();
    await expect(page.getByTestId("throttle-current")).toContainText("2 Mbit/s");
    await expect(page.getByTestId("incident-history")).toContainText("Throttled the user's devices (2 Mbit/s until");
    await fitsBothWidths(page);
    await page.setViewportSize({ width: 1440, height: 900 });

    // The user's devices page says so (and the API, per device).
    await user.page.goto("/devices");
    await expect(user.page.getByTestId("throttle-notice")).toContainText("2 Mbit/s");
    const peer = await (await user.page.request.get(`/api/vpn/peers/${user.peer.id}`)).json();
    expect(peer.throttle).toMatchObject({ rateKbit: 2000 });
    await fitsBothWidths(user.page);

    // The warning email is in the outbox, saying what was seen and what happens next.
    await page.goto("/admin/outbox");
    const email = page.getByTestId("outbox-row").filter({ hasText: user.email }).filter({ hasText: "abuse_warning" }).first();
    await expect(email).toBeVisible();

    // The admin's user page: the history and the throttle; "Lift throttle" in one click.
    await page.goto("/admin/abuse");
    await page.getByTestId("incident-row").filter({ hasText: user.email }).getByRole("link").first().click();
    await page.getByTestId("incident-summary").getByRole("link", { name: user.email }).click();
    await expect(page).toHaveURL(/\/admin\/users\/[0-9a-f-]+$/);
    const history = page.getByTestId("abuse-history");
    await expect(history.getByTestId("abuse-history-row")).toHaveCount(1);
    await expect(history).toContainText("4.1 TB downloaded in a day");
    await expect(history).toContainText("Warned by admin@securewave.test");
    await expect(page.getByTestId("throttle-current")).toContainText("2 Mbit/s");
    await fitsBothWidths(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole("button", { name: "Lift throttle" }).click();
    await expect(page.getByTestId("throttle-current")).toContainText("No throttle in force");
    await expect(page.getByTestId("throttle-history")).toContainText("lifted by admin@securewave.test");

    await user.page.reload();
    await expect(user.page.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
    await expect(user.page.getByTestId("throttle-notice")).toHaveCount(0);
    expect((await (await user.page.request.get(`/api/vpn/peers/${user.peer.id}`)).json()).throttle).toBeNull();
    await user.context.close();
  });

  test("a support agent turns a ticket into a user report that reaches the admins' queue", async ({ page, browser, baseURL }, testInfo) => {
    const user = await freshUserWithDevice(browser, baseURL!, testInfo.titlePath.join(" › "));
    const ticket = await user.page.request.post("/api/support/tickets", {
      data: { subject: "Someone else is using my account", description: "I see connections from cities I have never been to.", category: "account", priority: "high" },
    });
    expect(ticket.status()).toBe(201);
    const { id: ticketId } = await ticket.json();
    await user.context.close();

    await signInAs(page, "agent");
    await page.goto(`/agent/tickets/${ticketId}`);
    const card = page.getByTestId("report-abuse");
    await expect(card).toContainText(user.email);
    await card.getByRole("button", { name: "Report abuse" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Type").selectOption("account_sharing");
    await dialog.getByLabel("Severity").selectOption("high");
    await expect(dialog.getByLabel("What was reported")).toHaveValue("Someone else is using my account");
    await dialog.getByRole("button", { name: "Report abuse" }).click();
    await expect(card.getByTestId("ticket-incidents")).toContainText("account sharing");
    await expect(card.getByTestId("ticket-incidents")).toContainText("agent@securewave.test");
    await fitsBothWidths(page);

    // A second report of that type while it is open is refused, and says why.
    await page.setViewportSize({ width: 1440, height: 900 });
    await card.getByRole("button", { name: "Report abuse" }).click();
    await page.locator("dialog[open]").getByLabel("Type").selectOption("account_sharing");
    await page.locator("dialog[open]").getByRole("button", { name: "Report abuse" }).click();
    await expect(page.locator("dialog[open]").getByTestId("form-error")).toContainText("already open");

    const admin = await browser.newContext({ extraHTTPHeaders: { origin: new URL(baseURL!).origin, "x-e2e-test": encodeURIComponent(testInfo.titlePath.join(" › ")) } });
    const adminPage = await admin.newPage();
    await signInAs(adminPage, "admin");
    await adminPage.goto("/admin/abuse?type=account_sharing&status=pending");
    const row = adminPage.getByTestId("incident-row").filter({ hasText: user.email });
    await expect(row).toContainText("User report");
    await row.getByRole("link").first().click();
    await expect(adminPage.getByTestId("incident-summary")).toContainText("Reported by");
    await expect(adminPage.getByTestId("incident-summary").getByRole("link", { name: /^TKT-/ })).toHaveAttribute("href", `/agent/tickets/${ticketId}`);
    await admin.close();
  });
});
