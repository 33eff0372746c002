import { test as base, expect, type Page } from "@playwright/test";
import { TEST_HEADER } from "./support/capture";

export const DEMO_PASSWORD = "demo-password";
export const ACCOUNTS = {
  admin: "admin@securewave.test",
  agent: "agent@securewave.test",
  user: "alice@securewave.test",
  other: "bob@securewave.test",
} as const;
export type Who = keyof typeof ACCOUNTS;

export async function signInAs(page: Page, who: Who | { email: string; password: string }) {
  const email = typeof who === "string" ? ACCOUNTS[who] : who.email;
  const password = typeof who === "string" ? DEMO_PASSWORD : who.password;
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Each role lands on its home: devices, the ticket queue, the dashboard.
  const role = typeof who === "string" ? who : "user";
  await expect(page).toHaveURL(role === "admin" ? /\/admin$/ : role === "agent" ? /\/agent\/tickets$/ : /\/devices/);
}

/**
 * `signIn(role)`: a page signed in as one of the demo accounts. Every request
 * of a test (its pages, the browser contexts and API clients it opens) names
 * the test in a header, so that the secrets scan can say which test saw what.
 */
export const test = base.extend<{ signIn: (who: Who) => Promise<Page> }>({
  // API calls made with a test's request context (page.request) are the app's own, as the browser's are: they say so with
  // their Origin, which cookie-authenticated writes require. The cross-site tests open contexts of their own without it.
  extraHTTPHeaders: async ({ extraHTTPHeaders, baseURL }, use, testInfo) => {
    await use({ ...extraHTTPHeaders, ...(baseURL ? { origin: new URL(baseURL).origin } : {}), [TEST_HEADER]: encodeURIComponent(testInfo.titlePath.join(" › ")) });
  },
  signIn: async ({ page }, use) => {
    await use(async (who) => {
      await signInAs(page, who);
      return page;
    });
  },
});

export { expect };
