import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * What the page sweeps check on every page at each size: the page is no
 * wider than the screen, nothing inside it is cut off, axe-core finds no
 * serious or critical violation; and a full-page screenshot is kept under
 * test-results/screenshots for review. The page must be opened in a context
 * with `bypassCSP: true`: the strict page policy refuses axe's injected script.
 */

export const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
export const SHOTS = path.join("test-results", "screenshots");

/** Serious or critical axe violations of the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Not sandboxed frames (an email's own HTML in the outbox, untrusted and not the app's markup): no script may run in
  // them, axe's neither, and trying wedges the run.
  const result = await new AxeBuilder({ page }).exclude("iframe[sandbox]").analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/** How many pixels the document is wider than the screen (0 or less: it fits). */
export const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Elements that cut off part of their content sideways: a table in an
 * `overflow-x-auto` region wider than the region, a box with overflow hidden
 * around something wider. A page can fit the screen and still hide a table's
 * last columns this way. Not counted: text ellipsed on purpose (`truncate`),
 * visually hidden text (sr-only), code and text areas (`pre`, which scroll by
 * nature), and rows that say they scroll (`.scroll-hint`, the admin sub-nav's
 * shade at the edge). On a phone (`scrollingRegionsAllowed`) a wide table may
 * also scroll inside its region when the region says so to everyone: a
 * labelled, keyboard-focusable `role="region"` (components/ui/table.tsx).
 */
export function clippedElements(page: Page, { scrollingRegionsAllowed }: { scrollingRegionsAllowed: boolean }): Promise<string[]> {
  return page.evaluate((allowRegions) => {
    const found: string[] = [];
    const describe = (el: Element) => {
      const id = el.getAttribute("data-testid") ?? el.getAttribute("aria-label") ?? el.id;
      const cls = typeof el.className === "string" ? el.className.split(/\s+/).slice(0, 4).join(".") : "";
      return `${el.tagName.toLowerCase()}${el.getAttribute("role") ? `[role=${el.getAttribute("role")}]` : ""}${id ? ` "${id}"` : ""}${cls ? ` .${cls}` : ""}`;
    };
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (!(el instanceof HTMLElement)) continue;
      const style = getComputedStyle(el);
      if (style.overflowX === "visible") continue;
      if (el.clientWidth <= 1 || !el.checkVisibility()) continue;
      if (style.textOverflow === "ellipsis") continue;
      if (["PRE", "TEXTAREA", "CODE", "INPUT", "SELECT"].includes(el.tagName)) continue;
      if (el.closest("dialog:not([open]), [hidden], .sr-only")) continue;
      const cut = el.scrollWidth - el.clientWidth;
      if (cut <= 1) continue;
      if (el.classList.contains("scroll-hint")) continue;
      const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
      const saysItScrolls =
        el.getAttribute("role") === "region" && el.tabIndex >= 0 && !!(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"));
      if (allowRegions && scrolls && saysItScrolls) continue;
      found.push(`${describe(el)} cuts off ${cut} px of its content (scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth})`);
    }
    return found;
  }, scrollingRegionsAllowed);
}

/**
 * Photographs the page as `name` and returns what is wrong with it: wider
 * than the screen, content cut off (at desktop sizes nothing may be; on a
 * phone a table may scroll in its labelled region), serious axe violations.
 */
export async function checkPage(page: Page, name: string, label = page.url()): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const found: string[] = [];
  const wide = await pageOverflow(page);
  if (wide > 0) found.push(`${label}: ${wide} px wider than the screen`);
  const phone = (page.viewportSize()?.width ?? 1440) < 640;
  for (const c of await clippedElements(page, { scrollingRegionsAllowed: phone })) found.push(`${label}: ${c}`);
  for (const v of await seriousViolations(page)) found.push(`${label}: ${v}`);
  return found;
}

/** A file name for a page's screenshot: `who-size-path`. */
export const shotName = (who: string, size: string, where: string) => `${who}-${size}${where.replace(/[^a-z0-9]+/gi, "-")}`.replace(/-+$/, "");
