import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { generate } from "otplib";
import { test, expect, signInAs, type Who } from "./fixtures";
import { SIZES, checkPage, shotName } from "./support/page-sweep";

/**
 * The console tells the truth and every page reads well: each role lands on
 * its home, a suspended account is told so on every page, a missing ticket is
 * a 404 whose page runs under the page policy, times are the reader's local
 * time, and every page of every role (and the signed-out ones, the share
 * page, the 404 page and the two-factor enrolment page) fits a phone and a
 * desktop without cutting anything off and passes axe-core with no serious or
 * critical violation. Screenshots of every page at both sizes are saved under
 * test-results/screenshots for review.
 */

async function contextAs(browser: Browser, who: Who | { email: string; password: string }, options: BrowserContextOptions = {}): Promise<Page> {
  // The strict page CSP would refuse axe's injected script.
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

async function newAccount(browser: Browser, prefix = "truth"): Promise<{ email: string; password: string; id: string }> {
  const email = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
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
  // What it forbids is disabled, with the reason, and refused at the door too.
  await user.goto("/devices");
  await expect(user.getByRole("button", { name: "Add device" })).toBeDisabled();
  await expect(user.getByTestId("device-limit-reason")).toContainText("suspended");
  const serverId = ((await (await user.request.get("/api/vpn/servers")).json()) as { items: { id: string }[] }).items[0]!.id;
  const create = await user.request.post("/api/vpn/peers", { data: { serverId, deviceName: "while suspended", deviceType: "ios" } });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe("forbidden");
  await admin.request.post(`/api/admin/users/${account.id}/status`, { data: { status: "active", reason: "paid" } });
  await user.goto("/devices");
  await expect(user.getByTestId("account-suspended-banner")).toHaveCount(0);
});

/**
 * Everything the page policy refused or the console complained about in this page, as it happens: the
 * browser's own CSP reports (`securitypolicyviolation`, seen by a listener installed before any of the
 * page's scripts) and its console errors, but not the document's own 404 status, which Chrome logs too.
 */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__cspViolation", (_source, text: string) => void problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(`${e.violatedDirective} refused ${e.blockedURI || "an inline script"}`);
    });
  });
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (/status of 404/.test(m.text()) && m.location().url === page.url()) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

/** Marks the current document, to tell afterwards whether a click navigated on the client (the mark survives) or loaded a new page. */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

test("a ticket that does not exist, or is someone else's, answers 404; the 404 page runs under the page policy", async ({ browser }) => {
  // Under the real page policy (no bypass): the point is that the policy lets the 404 page's own scripts run.
  const user = await contextAs(browser, "user", { bypassCSP: false });
  const problems = await watchPolicy(user);
  const missing = await user.goto("/support/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  expect(missing?.headers()["content-security-policy"]).toMatch(/script-src [^;]*'nonce-/);
  await expect(user.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await user.waitForLoadState("networkidle");
  expect(problems).toEqual([]);
  const agent = await contextAs(browser, "agent", { bypassCSP: false });
  expect((await agent.goto("/agent/tickets/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);

  // An address nothing answers: the same page, and it is alive: its link navigates on the client, without a page load.
  const unknown = await user.goto("/no-such-page");
  expect(unknown?.status()).toBe(404);
  expect(unknown?.headers()["content-security-policy"]).toMatch(/script-src [^;]*'nonce-/);
  await expect(user.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await user.waitForLoadState("networkidle");
  // Every script the page was served with carries the nonce of its own answer's policy.
  const nonce = /'nonce-([^']+)'/.exec(unknown!.headers()["content-security-policy"]!)![1];
  const scripts = (await unknown!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
  await markDocument(user);
  await user.getByRole("link", { name: "Go to the start page" }).click();
  await expect(user).toHaveURL(/\/devices$/);
  await expect(user.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await sameDocument(user), "the 404 page's link navigated on the client: its scripts ran").toBe(true);

  // The ticket's 404 page too: hydrated, its link a client-side navigation.
  await user.goto("/support/00000000-0000-4000-8000-000000000000");
  await user.waitForLoadState("networkidle");
  await markDocument(user);
  await user.getByRole("link", { name: "Go to the start page" }).click();
  await expect(user).toHaveURL(/\/devices$/);
  expect(await sameDocument(user)).toBe(true);
  expect(problems).toEqual([]);
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

/** Every page each role can reach, at both sizes: fits, cuts nothing off, passes axe, and is photographed. */
const PAGES: Record<"user" | "agent" | "admin", string[]> = {
  // With the 404 page (its status is 404), which renders inside the root layout like any other page.
  user: ["/devices", "/usage", "/plan", "/support", "/support/new", "/settings", "/settings/tokens", "/no-such-page"],
  agent: ["/agent/tickets", "/agent/macros"],
  admin: [
    "/admin",
    "/admin/servers",
    "/admin/peers",
    "/admin/users",
    "/admin/plans",
    "/admin/plan-requests",
    "/admin/jobs",
    "/admin/abuse",
    "/admin/audit",
    "/admin/outbox",
    "/admin/security",
  ],
};

/** The pages of one record each (a ticket, a user, an incident, an email), found through the API or their list. */
async function recordPages(page: Page, who: keyof typeof PAGES): Promise<string[]> {
  const list: string[] = [];
  const firstHref = async (where: string, row: string) => {
    await page.goto(where);
    const href = await page.getByTestId(row).first().getByRole("link").first().getAttribute("href");
    expect(href, `a link in the first ${row} of ${where}`).toBeTruthy();
    return href!;
  };
  if (who === "agent") list.push(await firstHref("/agent/tickets", "queue-row"));
  if (who === "user") {
    const tickets = ((await (await page.request.get("/api/support/tickets")).json()) as { items: { id: string }[] }).items;
    expect(tickets.length, "the demo user has tickets").toBeGreaterThan(0);
    list.push(`/support/${tickets[0]!.id}`, `/rate/${tickets[0]!.id}?score=5`);
  }
  if (who === "admin") {
    const me = (await (await page.request.get("/api/me")).json()) as { id: string };
    list.push(`/admin/users/${me.id}`);
    const incidents = ((await (await page.request.get("/api/admin/abuse")).json()) as { items: { id: string }[] }).items;
    expect(incidents.length, "the demo has abuse incidents").toBeGreaterThan(0);
    list.push(`/admin/abuse/${incidents[0]!.id}`);
    list.push(await firstHref("/admin/outbox", "outbox-row"));
  }
  return list;
}

/**
 * The widest record a user can make, so that the admin sweep does not depend
 * on which data earlier specs left: an account whose address is as long as a
 * local part may be, with a device whose 64-character name has nowhere to
 * wrap. `done` deletes the device.
 */
async function widestRecords(browser: Browser): Promise<{ done: () => Promise<void> }> {
  const account = await newAccount(browser, "w".repeat(48));
  const owner = await contextAs(browser, account);
  const servers = ((await (await owner.request.get("/api/vpn/servers")).json()) as { items: { id: string }[] }).items;
  const created = await owner.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: "W".repeat(64), deviceType: "linux" } });
  expect(created.status(), await created.text()).toBe(201);
  const peer = (await created.json()) as { id: string };
  return {
    done: async () => {
      expect((await owner.request.delete(`/api/vpn/peers/${peer.id}`)).status()).toBe(204);
      await owner.context().close();
    },
  };
}

for (const [who, pages] of Object.entries(PAGES) as [keyof typeof PAGES, string[]][]) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`every ${who} page fits ${viewport.width} px and passes axe`, async ({ browser }) => {
      test.setTimeout(240_000);
      const widest = who === "admin" ? await widestRecords(browser) : null;
      const page = await contextAs(browser, who, { viewport });
      const found: string[] = [];
      const list = [...pages, ...(await recordPages(page, who))];
      for (const where of list) {
        const res = await page.goto(where);
        if (where === "/no-such-page") expect(res?.status(), where).toBe(404);
        else expect(res?.status(), where).toBeLessThan(400);
        found.push(...(await checkPage(page, shotName(who, size, where), where)));
      }
      await widest?.done();
      expect(found).toEqual([]);
    });
  }
}

/** A share link of a fresh device of the demo user (GET does not use it up); `done` deletes the device. */
async function shareLink(browser: Browser): Promise<{ path: string; done: () => Promise<void> }> {
  const user = await contextAs(browser, "user");
  const servers = ((await (await user.request.get("/api/vpn/servers")).json()) as { items: { id: string }[] }).items;
  const created = await user.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName: `Sweep phone ${Date.now() % 100000}`, deviceType: "android" } });
  expect(created.status(), await created.text()).toBe(201);
  const peer = (await created.json()) as { id: string };
  const shared = await user.request.post(`/api/vpn/peers/${peer.id}/share`);
  expect(shared.status()).toBe(201);
  const { url } = (await shared.json()) as { url: string };
  return {
    path: new URL(url).pathname,
    done: async () => {
      expect((await user.request.delete(`/api/vpn/peers/${peer.id}`)).status()).toBe(204);
      await user.context().close();
    },
  };
}

for (const [size, viewport] of Object.entries(SIZES)) {
  test(`every signed-out page and the share page fit ${viewport.width} px and pass axe`, async ({ browser }) => {
    test.setTimeout(180_000);
    const share = await shareLink(browser);
    const context = await browser.newContext({ bypassCSP: true, viewport });
    const page = await context.newPage();
    const bogus = "A".repeat(43);
    // Where, and the status it answers: the links' pages open on any token and say when it is not valid.
    const list: [string, number][] = [
      ["/sign-in", 200],
      ["/sign-up", 200],
      ["/forgot-password", 200],
      [`/reset-password/${bogus}`, 200],
      [`/verify-email/${bogus}`, 200],
      [share.path, 200],
    ];
    const found: string[] = [];
    try {
      for (const [where, status] of list) {
        const res = await page.goto(where);
        expect(res?.status(), where).toBe(status);
        const name = where === share.path ? "/share" : where.replace(`/${bogus}`, "");
        found.push(...(await checkPage(page, shotName("signed-out", size, name), where)));
      }
      // The invalid-link state of the email links, once their form has tried the token.
      await page.goto(`/verify-email/${bogus}`);
      await page.getByRole("button", { name: "Confirm my email address" }).click();
      await expect(page.getByTestId("verify-email-form").getByRole("alert").first()).toBeVisible();
      found.push(...(await checkPage(page, shotName("signed-out", size, "/verify-email-invalid"), "/verify-email (invalid link)")));
    } finally {
      await context.close();
      await share.done();
    }
    expect(found).toEqual([]);
  });
}

test("the two-factor enrolment page staff are held at fits both sizes and passes axe", async ({ browser }) => {
  test.setTimeout(180_000);
  // Fresh accounts, so the demo staff never need a second factor: one becomes an admin with two-factor (only such an admin
  // may require it of staff), the other an agent without it, held at the enrolment page while it is required.
  const [bossAccount, agentAccount] = [await newAccount(browser), await newAccount(browser)];
  const boss = await contextAs(browser, bossAccount);
  const agent = await contextAs(browser, agentAccount);
  const admin = await contextAs(browser, "admin");
  for (const [email, role] of [[bossAccount.email, "Administrator"], [agentAccount.email, "Support agent"]] as const) {
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    await admin.getByRole("button", { name: `Change role of ${email}` }).click();
    await admin.getByRole("dialog").getByLabel("Role").selectOption({ label: role });
    await admin.getByRole("dialog").getByRole("button", { name: "Save role" }).click();
    await expect(admin.getByRole("dialog")).toHaveCount(0);
  }
  await boss.goto("/settings");
  await boss.getByTestId("two-factor-card").getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = ((await boss.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
  await boss.getByLabel("Code from the app").fill(await generate({ secret }));
  await boss.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(boss.getByTestId("recovery-code")).toHaveCount(10);
  const found: string[] = [];
  try {
    const on = await boss.request.patch("/api/admin/settings", { data: { requireStaffTwoFactor: true } });
    expect(on.status(), await on.text()).toBe(200);
    for (const [size, viewport] of Object.entries(SIZES)) {
      await agent.setViewportSize(viewport);
      await agent.goto("/agent/tickets");
      await expect(agent).toHaveURL(/\/setup-two-factor$/);
      found.push(...(await checkPage(agent, shotName("agent", size, "/setup-two-factor"), "/setup-two-factor")));
      await agent.getByRole("button", { name: "Set up two-factor sign-in" }).click();
      await expect(agent.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
      found.push(...(await checkPage(agent, shotName("agent", size, "/setup-two-factor-qr"), "/setup-two-factor (QR code)")));
    }
  } finally {
    const off = await boss.request.patch("/api/admin/settings", { data: { requireStaffTwoFactor: false } });
    expect(off.status()).toBe(200);
  }
  expect(found).toEqual([]);
});

test("the share page has the app's look: its favicon, brand, fonts and colours", async ({ browser }) => {
  const share = await shareLink(browser);
  const context = await browser.newContext();
  const page = await context.newPage();
  /** The look of a page, colours normalised to rgb (Tailwind writes oklch, plain CSS may write hex). */
  const look = (brand: string) =>
    page.evaluate((brandSelector) => {
      const canvas = document.createElement("canvas").getContext("2d")!;
      const rgb = (c: string) => {
        canvas.clearRect(0, 0, 1, 1);
        canvas.fillStyle = "#000";
        canvas.fillStyle = c;
        canvas.fillRect(0, 0, 1, 1);
        return Array.from(canvas.getImageData(0, 0, 1, 1).data).join(",");
      };
      // A gradient's colours each as rgb, its interpolation left out (the default for these colours is the one named).
      const gradient = (g: string) => g.replace(/ in oklab/, "").replace(/(oklch|oklab|lab|lch|rgba?|hsla?)\([^)]*\)/g, (c) => `rgba(${rgb(c)})`);
      const body = getComputedStyle(document.body);
      const brandEl = document.querySelector(brandSelector)!;
      const brandStyle = getComputedStyle(brandEl);
      const logo = brandEl.querySelector("span, img")!;
      const box = logo.getBoundingClientRect();
      const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      return {
        font: body.fontFamily,
        background: rgb(body.backgroundColor),
        text: rgb(body.color),
        brand: { text: brandEl.textContent?.trim(), size: brandStyle.fontSize, weight: brandStyle.fontWeight, logo: `${box.width}x${box.height}`, logoImage: gradient(getComputedStyle(logo).backgroundImage) },
        icon: icon ? { href: new URL(icon.href).pathname, type: icon.type } : null,
      };
    }, brand);
  try {
    await page.goto("/sign-in");
    const app = await look('a[href="/"]');
    const res = await page.goto(share.path);
    expect(res?.status()).toBe(200);
    const shared = await look('[data-testid="brand"]');
    expect(shared.icon, "the share page names the favicon").toEqual(app.icon);
    expect(shared.icon?.href).toBe("/icon.svg");
    const icon = await page.request.get(shared.icon!.href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    expect(shared.brand).toEqual(app.brand);
    expect(shared.font).toBe(app.font);
    expect(shared.background).toBe(app.background);
    expect(shared.text).toBe(app.text);
    // The primary button in the app's primary colour.
    const button = page.getByRole("button", { name: "Reveal configuration" });
    await expect(button).toBeVisible();
    await page.goto("/sign-in");
    const appButton = await page.getByRole("button", { name: "Sign in" }).evaluate((b) => getComputedStyle(b).backgroundColor);
    await page.goto(share.path);
    const shareButton = await button.evaluate((b) => getComputedStyle(b).backgroundColor);
    const normalise = (c: string) =>
      page.evaluate((colour) => {
        const ctx = document.createElement("canvas").getContext("2d")!;
        ctx.fillStyle = colour;
        ctx.fillRect(0, 0, 1, 1);
        return Array.from(ctx.getImageData(0, 0, 1, 1).data).join(",");
      }, c);
    expect(await normalise(shareButton)).toBe(await normalise(appButton));
  } finally {
    await context.close();
    await share.done();
  }
});
