import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";

/**
 * The console tells the truth and every page reads well: each role lands on
 * its home, a suspended account is told so on every page, a missing ticket is
 * a 404, times are the reader's local time, and every page of every role fits
 * a phone and a desktop and passes axe-core with no serious or critical
 * violation. Screenshots of every page at both sizes are saved for review.
 */

const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
const SHOTS = path.join("test-results", "screenshots");

async function contextAs(browser: Browser, who: Who | { email: string; password: string }, options: BrowserContextOptions = {}): Promise<Page> {
  // The strict page CSP would refuse axe's injected script.
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

async function newAccount(browser: Browser): Promise<{ email: string; password: string; id: string }> {
  const email = `truth-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const password = "a long enough password";
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Casey Truth");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/devices/);
  const id = ((await (await page.request.get("/api/me")).json()) as { id: string }).id;
  await context.close();
  return { email, password, id };
}

/** Serious or critical axe violations of the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe("each role lands on its home", () => {
  test("agents on the queue, admins on the dashboard, customers on their devices", async ({ browser }) => {
    const agent = await contextAs(browser, "agent");
    await expect(agent).toHaveURL(/\/agent\/tickets$/);
    await expect(agent.getByRole("heading", { name: "Ticket queue" })).toBeVisible();
    const admin = await contextAs(browser, "admin");
    await expect(admin).toHaveURL(/\/admin$/);
    const user = await contextAs(browser, "user");
    await expect(user).toHaveURL(/\/devices$/);
    // An explicit destination still wins over the home.
    await admin.context().clearCookies();
    await admin.goto("/admin/servers");
    await expect(admin).toHaveURL(/\/sign-in\?callbackUrl=/);
    await admin.getByLabel("Email").fill("admin@securewave.test");
    await admin.getByLabel("Password").fill("demo-password");
    await admin.getByRole("button", { name: "Sign in" }).click();
    await expect(admin).toHaveURL(/\/admin\/servers$/);
  });
});

test("a suspended account is told so on every page, with what it means and where to get help", async ({ browser }) => {
  const account = await newAccount(browser);
  const admin = await contextAs(browser, "admin");
  const suspended = await admin.request.post(`/api/admin/users/${account.id}/status`, { data: { status: "suspended", reason: "unpaid invoice" } });
  expect(suspended.status(), await suspended.text()).toBeLessThan(300);
  const user = await contextAs(browser, account);
  for (const where of ["/devices", "/usage", "/support", "/settings"]) {
    await user.goto(where);
    const banner = user.getByTestId("account-suspended-banner");
    await expect(banner, where).toBeVisible();
    await expect(banner).toContainText("unpaid invoice");
    await expect(banner.getByRole("link", { name: "Contact support" })).toHaveAttribute("href", "/support/new");
  }
  await admin.request.post(`/api/admin/users/${account.id}/status`, { data: { status: "active", reason: "paid" } });
  await user.goto("/devices");
  await expect(user.getByTestId("account-suspended-banner")).toHaveCount(0);
});

test("a ticket that does not exist, or is someone else's, answers 404; the 404 page runs under the page policy", async ({ browser }) => {
  const user = await contextAs(browser, "user");
  const errors: string[] = [];
  user.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const missing = await user.goto("/support/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  await expect(user.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const agent = await contextAs(browser, "agent");
  expect((await agent.goto("/agent/tickets/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
  const unknown = await user.goto("/no-such-page");
  expect(unknown?.status()).toBe(404);
  await user.getByRole("link", { name: "Go to the start page" }).click();
  await expect(user).toHaveURL(/\/devices$/);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

test("times are the reader's local time, with UTC on hover", async ({ browser }) => {
  const user = await contextAs(browser, "user", { timezoneId: "America/New_York", locale: "en-US" });
  await user.goto("/support");
  // The first page learns the zone; from then on the server renders in it too.
  await user.reload();
  const time = user.locator("time").first();
  await expect(time).toBeVisible();
  await expect(time).toHaveText(/(EST|EDT|GMT-5|GMT-4)/);
  await expect(time).toHaveAttribute("title", /UTC$/);
});

/** Every page each role can reach, at both sizes: fits, passes axe, and is photographed. */
const PAGES: Record<"user" | "agent" | "admin", string[]> = {
  user: ["/devices", "/usage", "/plan", "/support", "/support/new", "/settings", "/settings/tokens"],
  agent: ["/agent/tickets", "/agent/macros"],
  admin: ["/admin", "/admin/servers", "/admin/peers", "/admin/users", "/admin/plans", "/admin/plan-requests", "/admin/jobs", "/admin/abuse", "/admin/audit"],
};

for (const [who, pages] of Object.entries(PAGES) as [keyof typeof PAGES, string[]][]) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`every ${who} page fits ${viewport.width} px and passes axe`, async ({ browser }) => {
      test.setTimeout(180_000);
      const page = await contextAs(browser, who, { viewport });
      fs.mkdirSync(SHOTS, { recursive: true });
      const found: string[] = [];
      const list = [...pages];
      // A ticket page of each side, reached from its list.
      if (who === "agent") {
        await page.goto("/agent/tickets");
        const href = await page.getByTestId("queue-row").first().getByRole("link").first().getAttribute("href");
        if (href) list.push(href);
      }
      if (who === "user") {
        await page.goto("/support");
        const href = await page.getByTestId("ticket-row").first().getByRole("link").first().getAttribute("href");
        if (href) list.push(href);
      }
      for (const where of list) {
        const res = await page.goto(where);
        expect(res?.status(), where).toBeLessThan(400);
        await page.waitForLoadState("networkidle");
        const name = `${who}-${size}${where.replace(/[^a-z0-9]+/gi, "-")}`.replace(/-+$/, "");
        await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
        const wide = await overflow(page);
        if (wide > 0) found.push(`${where}: ${wide} px wider than the screen`);
        for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }
}
