import { test as base, expect, type Page } from "@playwright/test";

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
  await expect(page).toHaveURL(/\/devices/);
}

/** `signIn(role)`: a page signed in as one of the demo accounts. */
export const test = base.extend<{ signIn: (who: Who) => Promise<Page> }>({
  signIn: async ({ page }, use) => {
    await use(async (who) => {
      await signInAs(page, who);
      return page;
    });
  },
});

export { expect };
