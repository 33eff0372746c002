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

  test("the values under the pointer are the chart's own table row, the stack's total included", async ({ signIn }, testInfo) => {
    const page = await signIn("user");
    await page.goto("/usage?days=30");
    const chart = page.getByTestId("usage-chart-data");
    const plot = chart.locator("[data-chart-hover]");
    const box = (await plot.boundingBox())!;
    const tip = chart.locator("[data-chart-tip]");
    const rows = chart.locator("table tbody tr");
    await expect(rows).toHaveCount(30);
    for (const [x, row] of [
      [box.width - 2, rows.last()],
      [2, rows.first()],
    ] as const) {
      await page.mouse.move(box.x + x, box.y + box.height / 2);
      const [day, down, up, total] = await row.locator("th, td").allTextContents();
      await expect(tip).toBeVisible();
      await expect(tip).toContainText(day!);
      await expect(tip).toContainText(`Download: ${down}`);
      await expect(tip).toContainText(`Upload: ${up}`);
      await expect(tip).toContainText(`Total: ${total}`);
      await chart.screenshot({ path: testInfo.outputPath(`hover-${x < 10 ? "first" : "last"}.png`) });
    }
    await page.mouse.move(0, 0);
    await expect(tip).toHaveCount(0);
  });

  test("the admin dashboard draws its charts, and the user report opens from it", async ({ signIn }, testInfo) => {
    const page = await signIn("admin");
    await page.goto("/admin");
    await expect(page.getByTestId("dashboard-charts")).toBeVisible();
    await expect(page.getByTestId("chart-connections").locator("svg[data-plot]")).toBeVisible();
    // A line chart: the nearest point's values.
    const line = page.getByTestId("chart-connections");
    const box = (await line.locator("[data-chart-hover]").boundingBox())!;
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const [when, value] = await line.locator("table tbody tr").last().locator("th, td").allTextContents();
    await expect(line.locator("[data-chart-tip]")).toContainText(`${when}`);
    await expect(line.locator("[data-chart-tip]")).toContainText(`${value}`);
    await page.mouse.move(0, 0);
    await expect(page.getByTestId("dashboard-users")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });
    const top = page.getByTestId("dashboard-top-data").getByRole("link").first();
    await top.click();
    await expect(page.getByTestId("user-report")).toBeVisible();
    await expect(page.getByTestId("account-health")).toBeVisible();
  });
});
