import { test, expect } from "./fixtures";

/**
 * The admin sections on a phone: the row scrolls sideways, the current
 * section is in view, and a shade at the edge says there is more.
 */
test.describe("admin sub-navigation on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the current section is scrolled into view and the row can be scrolled back", async ({ signIn }) => {
    const page = await signIn("admin");
    await page.goto("/admin/audit");
    const nav = page.getByTestId("admin-nav");
    const current = nav.getByRole("link", { name: "Audit log" });
    await expect(current).toHaveAttribute("aria-current", "page");
    // The row is wider than the phone, so it scrolls instead of widening the page.
    const sizes = await nav.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, left: el.scrollLeft }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    await expect.poll(() => nav.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await expect(current).toBeInViewport({ ratio: 1 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    // The hint: shaded edges drawn by the row's own background.
    expect(await nav.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain("radial-gradient");
    // The first section is one swipe back.
    await nav.evaluate((el) => el.scrollTo({ left: 0 }));
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeInViewport({ ratio: 1 });
  });
});
