import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContextOptions, Locator, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";
import { clippedElements } from "./support/page-sweep";

/**
 * The admin console tells the truth: dashboard charts with one measure per
 * axis, a time range and a note on how much history there is; servers with
 * their actions in a menu, destructive ones confirmed, endpoints on one line
 * and new servers "waiting for their agent"; a server's own page; jobs with
 * counters in words, a filter and live progress after Run now; a searchable
 * list of peers; CSV exports; a filterable audit log. Each page fits 1440 and
 * 390 px without cutting anything off, passes axe-core, and is photographed
 * under test-results/screenshots.
 */

const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
const SHOTS = path.join("test-results", "screenshots");

async function adminPage(browser: Browser, options: BrowserContextOptions = {}, who: Who = "admin"): Promise<Page> {
  // The strict page CSP would refuse axe's injected script.
  const context = await browser.newContext({ bypassCSP: true, viewport: SIZES.desktop, ...options });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `admin-console-${name}.png`), fullPage: true });
}

/** WCAG contrast of each element's text colour against white (the cards' background). */
async function textContrast(locator: Locator): Promise<number[]> {
  return locator.evaluateAll((els) => {
    const lum = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).slice(0, 3).map(Number).map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    return els.map((el) => {
      // The text itself: the innermost element holding it.
      let node: Element = el;
      while (node.firstElementChild) node = node.firstElementChild;
      const l = lum(getComputedStyle(node).color);
      return 1.05 / (l + 0.05);
    });
  });
}

const uniq = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test.describe("admin console: every page", () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`fits ${viewport.width} px, passes axe and is photographed`, async ({ browser }) => {
      test.setTimeout(240_000);
      const page = await adminPage(browser, { viewport });
      await page.goto("/admin/servers");
      const serverHref = await page.getByTestId("server-row").first().getByRole("link").first().getAttribute("href");
      expect(serverHref).toMatch(/^\/admin\/servers\/[\w-]+$/);
      const pages: [string, string][] = [
        ["dashboard", "/admin"],
        ["dashboard-24h", "/admin?range=24h"],
        ["dashboard-30d", "/admin?range=30d"],
        ["servers", "/admin/servers"],
        ["server-detail", serverHref!],
        ["jobs", "/admin/jobs"],
        ["peers", "/admin/peers"],
        ["users", "/admin/users"],
        ["audit", "/admin/audit"],
      ];
      const found: string[] = [];
      for (const [name, where] of pages) {
        const res = await page.goto(where);
        expect(res?.status(), where).toBe(200);
        await page.waitForLoadState("networkidle");
        await shoot(page, `${size}-${name}`);
        const wide = await overflow(page);
        if (wide > 0) found.push(`${where}: ${wide} px wider than the screen`);
        // Nothing cut off inside the page either (a table clipped in its scrolling region); on a phone a table may scroll in its labelled region.
        for (const c of await clippedElements(page, { scrollingRegionsAllowed: size === "phone" })) found.push(`${where}: ${c}`);
        for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }
});

test.describe("dashboard charts that say something", () => {
  test("one measure per chart, a time range in the URL, what history there is, readable legends", async ({ browser }) => {
    const page = await adminPage(browser);
    await page.goto("/admin");
    // "Connected now" and "Sessions in 24 h" are two charts with their own axes, not two lines on one.
    for (const id of ["chart-connected-now", "chart-connections"]) {
      const chart = page.getByTestId(id);
      await expect(chart).toBeVisible();
      if ((await chart.getAttribute("data-empty-chart")) === null) {
        await expect(chart.locator("svg[data-plot]")).toBeVisible();
        await expect(chart.locator("[data-series]")).toHaveCount(1);
      }
    }
    // Three measures of support, three charts.
    for (const id of ["chart-support-tickets", "chart-support-abuse", "chart-support-failed"]) await expect(page.getByTestId(id)).toBeVisible();

    // The range selector: links, rendered by the server for the range chosen.
    const ranges = page.getByRole("navigation", { name: "Dashboard time range" });
    await expect(ranges.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "true");
    await ranges.getByRole("link", { name: "24 h" }).click();
    await expect(page).toHaveURL(/\/admin\?range=24h$/);
    await expect(page.getByTestId("dashboard-charts")).toHaveAttribute("data-range", "24h");
    await expect(ranges.getByRole("link", { name: "24 h" })).toHaveAttribute("aria-current", "true");

    // "Last 7 days" over less history says how much there is.
    const stats = await (await page.request.get("/api/admin/stats")).json();
    const history = stats.history as { timestamp: string }[];
    await page.goto("/admin?range=7d");
    const note = page.getByTestId("dashboard-history");
    if (history.length === 0) await expect(note).toHaveAttribute("data-coverage", "none");
    else {
      const span = (Date.parse(history[history.length - 1]!.timestamp) - Date.parse(history[0]!.timestamp)) / 3_600_000 + 1;
      await expect(note).toHaveAttribute("data-coverage", span < 167 ? "partial" : "full");
      if (span < 167) await expect(note).toContainText("of history so far");
    }

    // Legends in the body colour: 4.5:1 or more.
    const legend = page.getByTestId("chart-bandwidth").locator("[data-legend-item]");
    if (await legend.count()) for (const ratio of await textContrast(legend)) expect(ratio).toBeGreaterThanOrEqual(4.5);
  });

  test("address pools compare as the share in use, and the exports download as CSV", async ({ browser }) => {
    const page = await adminPage(browser);
    await page.goto("/admin/peers");
    const rows = page.getByTestId("allocation-row");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) {
      await expect(row).toContainText("%");
      await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuemax", "100");
    }
    await page.goto("/admin");
    const exports = page.getByTestId("dashboard-exports");
    for (const [label, name] of [["users", "users"], ["devices", "devices"], ["abuse incidents", "incidents"]] as const) {
      const href = await exports.getByRole("link", { name: `Export ${label} (CSV)` }).getAttribute("href");
      expect(href).toBe(`/api/admin/export/${name}.csv`);
      const res = await page.request.get(href!);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
      expect(res.headers()["content-disposition"]).toMatch(new RegExp(`^attachment; filename="securewave-${name}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      expect((await res.text()).split("\r\n")[0]).toMatch(/^id,/);
    }
  });
});

test.describe("servers", () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`at ${viewport.width} px: actions in a menu, destructive ones confirmed, endpoints on one line, a new server waits for its agent`, async ({ browser }) => {
      test.setTimeout(120_000);
      const page = await adminPage(browser, { viewport });
      await page.goto("/admin/servers");
      // A server with a long host name, which no agent has reached.
      const name = `Console ${size} ${uniq()}`;
      await page.getByRole("button", { name: "Add server" }).click();
      const add = page.locator("dialog[open]");
      await add.getByLabel("Name").fill(name);
      await add.getByLabel("Region").fill("eu-test");
      await add.getByLabel("Endpoint host").fill("a-rather-long-host-name-for-a-vpn-endpoint.region-one.securewave.test");
      await add.getByRole("button", { name: "Create server" }).click();
      await expect(add.getByTestId("agent-token")).toContainText("swa_");
      await add.getByRole("button", { name: "Done" }).click();

      const row = page.locator(`[data-testid="server-row"][data-server-name="${name}"]`);
      await expect(row).toBeVisible();
      // Waiting for its agent, not a red Offline; the API's status stays "offline".
      await expect(row).toHaveAttribute("data-state", "waiting");
      await expect(row).toHaveAttribute("data-status", "offline");
      await expect(row).toContainText("Waiting for its agent");
      await expect(row).not.toContainText("Offline");

      // host:port never wraps: one line, the port whole.
      const endpoint = row.getByTestId("server-endpoint");
      await expect(endpoint).toHaveCSS("white-space", "nowrap");
      await expect(endpoint).toContainText(":51820");
      const box = (await endpoint.boundingBox())!;
      expect(box.height).toBeLessThan(24);
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      // One menu button per row, no row of full-size buttons.
      const trigger = row.getByRole("button", { name: `Actions for ${name}` });
      await expect(trigger).toHaveAttribute("aria-haspopup", "menu");
      await expect(row.getByRole("button", { name: /^(Delete|Edit|Rotate agent token)$/ })).toHaveCount(0);

      // The keyboard: Enter opens it on the first item, arrows move, Escape closes it back on the button.
      await trigger.focus();
      await page.keyboard.press("Enter");
      const menu = page.getByRole("menu", { name: `Actions for ${name}` });
      await expect(menu).toBeVisible();
      await expect(trigger).toHaveAttribute("aria-expanded", "true");
      await expect(menu.getByRole("menuitem")).toHaveText(["View details", "Edit", "Connect its agent", "Rotate agent token…", "Delete server…"]);
      await expect(menu.getByRole("menuitem", { name: "View details" })).toBeFocused();
      await page.keyboard.press("ArrowDown");
      await expect(menu.getByRole("menuitem", { name: "Edit" })).toBeFocused();
      await page.keyboard.press("End");
      await expect(menu.getByRole("menuitem", { name: "Delete server…" })).toBeFocused();
      await page.keyboard.press("Escape");
      await expect(menu).toHaveCount(0);
      await expect(trigger).toBeFocused();

      // The agent install commands, with this app's URL and a note on the token.
      await trigger.click();
      await menu.getByRole("menuitem", { name: "Connect its agent" }).click();
      const connect = page.locator("dialog[open]");
      await expect(connect.getByTestId("connect-agent-commands")).toContainText("SECUREWAVE_URL=");
      await expect(connect.getByTestId("connect-agent-commands")).toContainText("systemctl daemon-reload && systemctl enable --now securewave-agent");
      await expect(connect).toContainText("shown once when the server was created");
      await expect(connect).toContainText("Rotate agent token");
      await shoot(page, `${size}-server-connect-agent`);
      await connect.getByRole("button", { name: "Close" }).click();

      // Rotating the token asks first; Cancel changes nothing.
      const prefix = await row.locator("code", { hasText: "swa_" }).textContent();
      await trigger.click();
      await menu.getByRole("menuitem", { name: "Rotate agent token…" }).click();
      const rotate = page.locator("dialog[open]");
      await expect(rotate.getByRole("heading", { name: "Rotate agent token" })).toBeVisible();
      await expect(rotate).toContainText("stops working at once");
      await rotate.getByRole("button", { name: "Cancel" }).click();
      await expect(page.locator("dialog[open]")).toHaveCount(0);
      await expect(row.locator("code", { hasText: "swa_" })).toHaveText(prefix!);

      // Deleting asks first: Cancel keeps it, confirming removes it.
      await trigger.click();
      await menu.getByRole("menuitem", { name: "Delete server…" }).click();
      const del = page.locator("dialog[open]");
      await expect(del.getByRole("heading", { name: "Delete server" })).toBeVisible();
      await expect(del).toContainText("cannot be undone");
      await del.getByRole("button", { name: "Cancel" }).click();
      await expect(row).toBeVisible();
      await trigger.click();
      await menu.getByRole("menuitem", { name: "Delete server…" }).click();
      await page.locator("dialog[open]").getByRole("button", { name: `Delete server ${name}` }).click();
      await expect(row).toHaveCount(0);
    });
  }

  test("a server's own page: load, agent state with the config applied and MTU, traffic, its peers; a new one explains how to connect", async ({ browser }) => {
    const page = await adminPage(browser);
    await page.goto("/admin/servers");
    const first = page.getByTestId("server-row").first();
    const name = (await first.getAttribute("data-server-name"))!;
    await first.getByRole("link", { name }).click();
    await expect(page).toHaveURL(/\/admin\/servers\/[\w-]+$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("server-load")).toContainText("Load");
    const agent = page.getByTestId("agent-state");
    await expect(agent.getByTestId("agent-config")).toContainText(/Up to date|pending|Not applied yet/);
    await expect(agent.getByTestId("agent-mtu")).toContainText(/\d{4}/);
    await expect(agent.getByTestId("agent-heartbeat")).toBeVisible();
    await expect(page.getByTestId("server-traffic-chart")).toBeVisible();
    // The traffic range is in the URL too.
    await page.getByRole("navigation", { name: "Traffic time range" }).getByRole("link", { name: "7 days" }).click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByTestId("server-peers")).toBeVisible();
    const peerRows = page.getByTestId("peer-row");
    const count = await peerRows.count();
    for (let i = 0; i < count; i++) await expect(peerRows.nth(i)).not.toContainText(/private/i);

    // A new server, reached from "How to connect it" in the list.
    await page.goto("/admin/servers");
    const fresh = `Detail ${uniq()}`;
    await page.getByRole("button", { name: "Add server" }).click();
    const add = page.locator("dialog[open]");
    await add.getByLabel("Name").fill(fresh);
    await add.getByLabel("Region").fill("eu-test");
    await add.getByLabel("Endpoint host").fill("detail.vpn.securewave.test");
    await add.getByRole("button", { name: "Create server" }).click();
    await add.getByRole("button", { name: "Done" }).click();
    await page.locator(`[data-testid="server-row"][data-server-name="${fresh}"]`).getByTestId("connect-agent-link").click();
    await expect(page).toHaveURL(/\/admin\/servers\/[\w-]+#agent$/);
    await expect(page.getByTestId("server-detail")).toHaveAttribute("data-state", "waiting");
    await expect(page.getByTestId("server-agent").getByTestId("connect-agent-commands")).toContainText("SECUREWAVE_TOKEN=swa_…");
    await expect(page.getByTestId("agent-config")).toContainText("Not applied yet");
    await expect(page.getByTestId("server-traffic-chart")).toContainText("no agent has reported");
    await shoot(page, "desktop-server-detail-waiting");
    // Deleted from its own page: back to the list, without it.
    await page.getByRole("button", { name: `Actions for ${fresh}` }).click();
    await page.getByRole("menuitem", { name: "Delete server…" }).click();
    await page.locator("dialog[open]").getByRole("button", { name: `Delete server ${fresh}` }).click();
    await expect(page).toHaveURL(/\/admin\/servers$/);
    await expect(page.locator(`[data-testid="server-row"][data-server-name="${fresh}"]`)).toHaveCount(0);
  });
});

test.describe("jobs", () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test(`at ${viewport.width} px: counters in words, live progress after Run now without a reload, and a filter that hides idle email runs`, async ({ browser }) => {
      test.setTimeout(120_000);
      const page = await adminPage(browser, { viewport });
      await page.goto("/admin/jobs");
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
      const row = page.locator('[data-testid="job-row"][data-job="abuse"]');
      await row.getByRole("button", { name: "Run abuse now" }).click();
      const live = row.getByTestId("live-run");
      await expect(live).toBeVisible();
      await expect(live).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
      await expect(live.getByTestId("live-run-counts")).toContainText(/Suspicious traffic patterns found: \d+/);
      await expect(live.getByTestId("live-run-counts")).toContainText(/Users with traffic scanned: \d+/);
      await expect(live).not.toContainText("foundSuspiciousTrafficPattern");
      // It was followed in this page, not by reloading it.
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      // The tables were refreshed when it ended: its run is in the list, in words too.
      const runRow = page.locator('[data-testid="run-row"][data-job="abuse"]').first();
      await expect(runRow).toContainText("Suspicious traffic patterns found");
      await expect(page.locator("body")).not.toContainText("foundSuspiciousTrafficPattern");

      // By default, no email run that did nothing; the filter shows them, and narrows by job and outcome.
      const idleEmail = () =>
        page.locator('[data-testid="run-row"][data-job="email"]').evaluateAll((rows) =>
          rows.filter((r) => [...r.querySelectorAll("[data-counter]")].every((c) => /: 0$/.test(c.textContent ?? ""))).length,
        );
      expect(await idleEmail()).toBe(0);
      const filters = page.getByTestId("run-filters");
      await filters.getByLabel("Job").selectOption("email");
      await filters.getByLabel("Include idle runs").check();
      await filters.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/job=email/);
      await expect(page).toHaveURL(/all=1/);
      const jobsShown = await page.getByTestId("run-row").evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute("data-job")))]);
      expect(jobsShown.every((j) => j === "email")).toBe(true);
      await page.goto("/admin/jobs?job=abuse&status=succeeded");
      const statuses = await page.getByTestId("run-row").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-job")} ${r.getAttribute("data-status")}`));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(["abuse succeeded"]));
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await shoot(page, `${size}-jobs-filtered`);
    });
  }
});

test.describe("peers", () => {
  test("a searchable list with server and status filters, linked from the admin navigation, exported as it is filtered", async ({ browser }) => {
    const user = await adminPage(browser, {}, "user");
    const deviceName = `Console ${uniq()}`;
    const servers = (await (await user.request.get("/api/vpn/servers")).json()).items as { id: string; name: string }[];
    const created = await user.request.post("/api/vpn/peers", { data: { serverId: servers[0]!.id, deviceName, deviceType: "linux" } });
    expect(created.status()).toBe(201);
    const device = await created.json();

    const page = await adminPage(browser);
    await page.goto("/admin");
    await page.getByTestId("admin-nav").getByRole("link", { name: "Peers" }).click();
    await expect(page).toHaveURL(/\/admin\/peers$/);
    const filters = page.getByTestId("peer-filters");
    for (const q of [deviceName.toLowerCase(), device.ipv4, device.publicKey.slice(0, 12), "alice@securewave"]) {
      await filters.getByLabel("Search", { exact: true }).fill(q);
      await filters.getByRole("button", { name: "Search" }).click();
      await expect(page).toHaveURL(/\/admin\/peers\?q=/);
      const row = page.locator(`[data-testid="peer-row"][data-peer-id="${device.id}"]`);
      await expect(row).toBeVisible();
      await expect(row).toContainText("alice@securewave.test");
      await expect(row).toContainText(device.ipv4);
    }
    await filters.getByLabel("Search", { exact: true }).fill(device.ipv4);
    await filters.getByLabel("Server").selectOption(servers[0]!.id);
    await filters.getByLabel("Status").selectOption("active");
    await filters.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("peer-row")).toHaveCount(1);
    // Revoked devices keep the address they had, which a new device may now hold: search by the (unique) key.
    await filters.getByLabel("Search", { exact: true }).fill(device.publicKey);
    await filters.getByLabel("Status").selectOption("revoked");
    await filters.getByRole("button", { name: "Search" }).click();
    await expect(page.getByTestId("peer-row")).toHaveCount(0);
    await expect(page.getByText("No device matches this search.")).toBeVisible();

    // The export carries the filters (the key: an address may also be a revoked device's old one).
    await page.goto(`/admin/peers?q=${encodeURIComponent(device.publicKey)}`);
    const href = (await page.getByTestId("export-devices").getAttribute("href"))!;
    expect(href).toBe(`/api/admin/export/devices.csv?q=${encodeURIComponent(device.publicKey)}`);
    const csv = await (await page.request.get(href)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(device.publicKey);
    await shoot(page, "desktop-peers-search");

    // The API behind it, as API.md names it.
    const api = await page.request.get(`/api/admin/peers?q=${encodeURIComponent(device.publicKey)}`);
    expect(api.status()).toBe(200);
    const body = await api.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toMatchObject({ id: device.id, ownerEmail: "alice@securewave.test", deviceName, ipv4: device.ipv4, ipv6: device.ipv6, publicKey: device.publicKey, status: "active" });
    expect(body.items[0]).toHaveProperty("lastHandshakeAt");
    expect((await user.request.get("/api/admin/peers")).status()).toBe(403);
  });
});

test.describe("users export and the audit log", () => {
  test("the users page exports what it shows; the audit log filters by actor, target and time", async ({ browser }) => {
    const page = await adminPage(browser);
    await page.goto("/admin/users?role=admin");
    const href = (await page.getByTestId("export-users").getAttribute("href"))!;
    expect(href).toBe("/api/admin/export/users.csv?role=admin");
    const csv = (await (await page.request.get(href)).text()).trim().split("\r\n");
    expect(csv[0]).toBe("id,email,name,role,status,status_reason,plan,active_devices,created_at,last_login_at");
    expect(csv.length).toBeGreaterThan(1);
    for (const line of csv.slice(1)) expect(line.split(",")[3]).toBe("admin");

    // The export above is in the audit log: by its actor, its action and today.
    const today = new Date().toISOString().slice(0, 10);
    await page.goto("/admin/audit");
    const filters = page.getByTestId("audit-filters");
    await filters.getByLabel("Actor").fill("admin@securewave.test");
    await filters.getByLabel("Action").fill("export.");
    await filters.getByLabel("From (UTC day)").fill(today);
    await filters.getByLabel("To (UTC day, included)").fill(today);
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/actor=admin%40securewave\.test/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toBeVisible();
    for (const action of await rows.evaluateAll((r) => r.map((x) => x.getAttribute("data-action")))) expect(action).toMatch(/^export\./);
    await expect(rows.first()).toContainText("admin@securewave.test");

    // By target: an account's email.
    await page.goto("/admin/audit?target=alice%40securewave.test");
    const targets = page.getByTestId("audit-row");
    const n = await targets.count();
    for (let i = 0; i < n; i++) await expect(targets.nth(i)).toContainText("alice@securewave.test");

    // A day with nothing: the empty state, not an error.
    await page.goto("/admin/audit?from=2000-01-01&to=2000-01-02");
    await expect(page.getByRole("heading", { name: "No events found" })).toBeVisible();
    await page.goto("/admin/audit?from=not-a-day");
    await expect(page.getByText("These filters cannot be used")).toBeVisible();
  });
});
