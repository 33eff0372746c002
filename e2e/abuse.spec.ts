import { test, expect, signInAs } from "./fixtures";

/**
 * The abuse queue in the browser. The second test produces a real incident
 * through the app only: an admin adds a server (its agent token is shown
 * once), alice adds a device on it, the "agent" pushes three dumps from three
 * client addresses within minutes, and "Run scan now" raises an account
 * sharing incident (3+ distinct IPs in an hour) that the admin then works.
 */

function dump(peers: { publicKey: string; endpoint: string; allowedIp: string; rx: number; tx: number }[]): string {
  const now = Math.floor(Date.now() / 1000);
  const lines = peers.map((p) => [p.publicKey, "(none)", p.endpoint, p.allowedIp, String(now - 5), String(p.rx), String(p.tx), "off"].join("\t"));
  return ["(none)\t(none)\t51820\toff", ...lines].join("\n") + "\n";
}

test.describe("abuse queue", () => {
  // The second test drives a server, a device, three pushes and a scan: give it room on a busy machine.
  test.describe.configure({ timeout: 120_000 });
  test("the admin sees the statistics, the chart, the filters and the queue", async ({ signIn }) => {
    const page = await signIn("admin");
    await page.goto("/admin/abuse");
    await expect(page.getByRole("heading", { name: "Abuse incidents", level: 1 })).toBeVisible();
    const stats = page.getByTestId("abuse-stats");
    await expect(stats.locator('[data-stat="pending"]')).toBeVisible();
    await expect(stats.locator('[data-stat="critical"]')).toBeVisible();
    // The chart is drawn on the server as SVG.
    await expect(page.getByTestId("abuse-chart").locator("svg[data-plot]")).toBeVisible();

    const filters = page.getByRole("search", { name: "Filter incidents" });
    await filters.getByLabel("Status").selectOption("pending");
    await filters.getByLabel("Severity").selectOption("critical");
    await filters.getByLabel("Type").selectOption("account_sharing");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/type=account_sharing/);
    await expect(page).toHaveURL(/severity=critical/);
    await expect(page).toHaveURL(/status=pending/);
    await expect(filters.getByLabel("Status")).toHaveValue("pending");
    // Either matching rows or the empty state, never an error.
    await expect(page.getByTestId("incident-row").or(page.getByRole("heading", { name: "No incidents" })).first()).toBeVisible();
    await filters.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/admin\/abuse$/);

    const api = await page.request.get("/api/admin/abuse/stats");
    expect(api.status()).toBe(200);
    expect(Object.keys(await api.json())).toEqual(expect.arrayContaining(["total", "pending", "byType", "bySeverity"]));
  });

  test("telemetry from three addresses becomes an incident after Run scan now; the admin investigates and resolves it", async ({ page, browser }) => {
    // The admin adds a server and keeps its agent token.
    await signInAs(page, "admin");
    await page.goto("/admin/servers");
    const serverName = `Abuse test ${Date.now() % 100000}`;
    await page.getByRole("button", { name: "Add server" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Name").fill(serverName);
    await dialog.getByLabel("Region").fill("eu-test");
    await dialog.getByLabel("Endpoint host").fill("abuse-test.vpn.securewave.test");
    await dialog.getByRole("button", { name: "Create server" }).click();
    const agentToken = (await dialog.getByTestId("agent-token").textContent())!.trim();
    expect(agentToken).toMatch(/^swa_/);
    await dialog.getByRole("button", { name: "Done" }).click();

    // Alice adds a device on it through the API, signed in with her session.
    const alice = await browser.newContext();
    const alicePage = await alice.newPage();
    await signInAs(alicePage, "user");
    const servers = await (await alicePage.request.get("/api/vpn/servers")).json();
    const server = servers.items.find((s: { name: string }) => s.name === serverName);
    expect(server).toBeTruthy();
    const created = await alicePage.request.post("/api/vpn/peers", { data: { serverId: server.id, deviceName: `Shared ${Date.now() % 100000}`, deviceType: "linux" } });
    expect(created.status()).toBe(201);
    const peer = await created.json();
    await alice.close();

    // The server's agent reports the device from three client addresses, a minute apart in content.
    for (const [i, ip] of ["198.51.100.11", "203.0.113.12", "192.0.2.13"].entries()) {
      const res = await page.request.post("/api/agent/stats", {
        headers: { authorization: `Bearer ${agentToken}`, "content-type": "text/plain" },
        data: dump([{ publicKey: peer.publicKey, endpoint: `${ip}:4${i}000`, allowedIp: `${peer.ipv4}/32`, rx: 1_000_000 * (i + 1), tx: 2_000_000 * (i + 1) }]),
      });
      expect(res.status()).toBe(202);
    }

    // Run the scan from the abuse page and wait for the incident to appear.
    await page.goto("/admin/abuse");
    await page.getByRole("button", { name: "Run scan now" }).click();
    await expect(page.getByText("Scan started")).toBeVisible();
    const row = page.locator('[data-testid="incident-row"][data-type="account_sharing"]', { hasText: "alice@securewave.test" }).first();
    await expect(async () => {
      await page.goto("/admin/abuse?type=account_sharing");
      await expect(row).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row).toContainText(/distinct client IPs in 1 h \(threshold 3\)/);

    // The incident page: evidence (formatted and raw), the user's sessions, the actions.
    await row.getByRole("link", { name: "Account sharing" }).click();
    await expect(page).toHaveURL(/\/admin\/abuse\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: "Account sharing — alice@securewave.test" })).toBeVisible();
    const ips = page.getByTestId("evidence-clientIps");
    for (const ip of ["198.51.100.11", "203.0.113.12", "192.0.2.13"]) await expect(ips).toContainText(ip);
    await page.getByText("Raw evidence (JSON)").click();
    await expect(page.getByTestId("evidence-json")).toContainText('"detector": "account_sharing"');
    await expect(page.getByTestId("session-row").filter({ hasText: "203.0.113.12" }).first()).toBeVisible();

    await page.getByRole("button", { name: "Investigate" }).click();
    let move = page.locator("dialog[open]");
    await move.getByLabel("Note (optional)").fill("Three countries within minutes");
    await move.getByRole("button", { name: "Mark investigating" }).click();
    await expect(page.getByTestId("incident-summary")).toContainText("Investigating");

    await page.getByRole("button", { name: "Resolve" }).click();
    move = page.locator("dialog[open]");
    await move.getByLabel("Note").fill("Warned the user about sharing");
    await move.getByRole("button", { name: "Resolve" }).click();
    await expect(page.getByTestId("incident-summary")).toContainText("Resolved");
    await expect(page.getByTestId("incident-summary")).toContainText("Warned the user about sharing");
    const history = page.getByTestId("incident-history");
    await expect(history).toContainText("Moved to investigating");
    await expect(history).toContainText("Three countries within minutes");
    await expect(history).toContainText("Resolved");
    await expect(page.getByRole("button", { name: "Investigate" })).toHaveCount(0);
  });
});
