import { createRequire } from "node:module";
import type { Browser, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";
import { SESSION_COOKIE } from "./support/capture";

const require = createRequire(import.meta.url);

/** A second browser (its own cookies) signed in as `who`. */
async function secondBrowser(browser: Browser, who: Who) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, who);
  return { context, page };
}

const sessionsCard = (page: Page) => page.getByRole("region", { name: "Where you're signed in" });
const rows = (page: Page) => page.getByTestId("session-row");

test.describe("sessions", () => {
  test("signing out ends the session on the server: a cookie copied before then opens nothing", async ({ page, browser, request }) => {
    await signInAs(page, "user");
    const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(cookie, "the browser holds a session cookie").toBeTruthy();
    const copied = { cookie: `${cookie!.name}=${cookie!.value}` };
    expect((await request.get("/api/me", { headers: copied })).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);

    const after = await request.get("/api/me", { headers: copied });
    expect(after.status()).toBe(401);
    expect((await after.json()).error.code).toBe("unauthenticated");

    // Pages too: a browser replaying the copied cookie is sent to sign-in.
    const replay = await browser.newContext();
    await replay.addCookies([cookie!]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/settings");
    await expect(replayPage).toHaveURL(/\/sign-in/);
    await expect(replayPage.getByRole("button", { name: "Sign in" })).toBeVisible();
    await replay.close();
  });

  test("settings lists the sessions, and 'Sign out everywhere else' ends the other browser's", async ({ page, browser, baseURL }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAs(page, "other");
    const second = await secondBrowser(browser, "other");
    expect((await second.context.request.get("/api/me")).status()).toBe(200);

    await page.goto("/settings");
    const card = sessionsCard(page);
    await expect(card.getByRole("heading", { name: "Where you're signed in" })).toBeVisible();
    expect(await rows(page).count()).toBeGreaterThanOrEqual(2);
    const mine = rows(page).filter({ hasText: "This device" });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(/Chrome on (Linux|Windows|macOS)/);
    await expect(rows(page).first()).toContainText("This device");
    await expect(rows(page).nth(1)).toContainText(/last active (just now|\d+ (min|h|days?) ago)/);
    // The API agrees: the other browser's session is listed and not current.
    const listed = (await (await page.request.get("/api/me/sessions")).json()) as { items: { id: string; current: boolean }[] };
    expect(listed.items.filter((i) => i.current)).toHaveLength(1);

    await card.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(card.getByRole("status").filter({ hasText: /other sessions? (was|were) signed out/ })).toBeVisible();
    await expect(rows(page)).toHaveCount(1);
    await expect(card.getByRole("button", { name: "Sign out everywhere else" })).toHaveCount(0);

    const ended = await second.context.request.get("/api/me");
    expect(ended.status()).toBe(401);
    await second.page.goto("/devices");
    await expect(second.page).toHaveURL(/\/sign-in/);
    // This browser stays signed in.
    expect((await page.request.get("/api/me")).status()).toBe(200);

    // And through the API with this browser's cookie (same-origin, as the app's pages send it).
    const third = await secondBrowser(browser, "other");
    const items = ((await (await page.request.get("/api/me/sessions")).json()) as { items: { id: string; current: boolean }[] }).items;
    const theirs = items.find((i) => !i.current)!;
    expect((await page.request.delete(`/api/me/sessions/${theirs.id}`, { headers: { origin: baseURL! } })).status()).toBe(204);
    expect((await third.context.request.get("/api/me")).status()).toBe(401);
    expect((await page.request.delete(`/api/me/sessions/${theirs.id}`, { headers: { origin: baseURL! } })).status()).toBe(404);
    await second.context.close();
    await third.context.close();
  });

  test("at 390 px the list fits the screen, each other session has its own named Sign out, and the section passes axe", async ({ browser }) => {
    // The page's strict CSP would refuse the injected axe script.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await phone.newPage();
    await signInAs(page, "other");
    const second = await secondBrowser(browser, "other");
    await page.goto("/settings");
    const card = sessionsCard(page);
    await expect(card).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "no sideways scrolling").toBeLessThanOrEqual(0);

    const before = await rows(page).count();
    expect(before).toBeGreaterThanOrEqual(2);
    const signOutOne = card.getByRole("button", { name: /^Sign out Chrome on \w+, / });
    await expect(signOutOne.first()).toBeVisible();
    // The newest other session is the second browser's: it comes right after this one.
    await signOutOne.first().click();
    await expect(rows(page)).toHaveCount(before - 1);
    expect((await second.context.request.get("/api/me")).status()).toBe(401);

    await page.addScriptTag({ path: require.resolve("axe-core") });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (el: Element) => Promise<{ violations: { id: string; help: string }[] }> } }).axe;
      const section = document.querySelector('section[aria-labelledby="sessions-title"]')!;
      return (await axe.run(section)).violations.map((v) => `${v.id}: ${v.help}`);
    });
    expect(violations).toEqual([]);
    await second.context.close();
    await phone.close();
  });
});
