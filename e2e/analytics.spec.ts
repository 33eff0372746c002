import { test, expect } from "./fixtures";

/** The demo seed carries two weeks of synthesized history, so the charts have data to draw. */
test.describe("analytics pages", () => {
  test("the usage page draws alice's charts", async ({ signIn }, testInfo) => {
    const page = await signIn("user");
    await page.goto("/usage?days=30");
    const charts = page.getByTestId("usage-charts");
    await expect(charts).toBeVisible();
    await expect(page.getByTestId("usage-chart-data").locator("svg[data-plot]")).toBeVisible();
    await expect(page.getByTestId("usage-chart-data").locator("[data-series] path").first()).toBeVisible();
    await expect(page.getByTestId("usage-month")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("usage.png"), fullPage: true });
  });

  test("the admin dashboard draws its charts, and the user report opens from it", async ({ signIn }, testInfo) => {
    const page = await signIn("admin");
    await page.goto("/admin");
    await expect(page.getByTestId("dashboard-charts")).toBeVisible();
    await expect(page.getByTestId("chart-connections").locator("svg[data-plot]")).toBeVisible();
    await expect(page.getByTestId("dashboard-users")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });
    const top = page.getByTestId("dashboard-top-data").getByRole("link").first();
    await top.click();
    await expect(page.getByTestId("user-report")).toBeVisible();
    await expect(page.getByTestId("account-health")).toBeVisible();
  });
});
