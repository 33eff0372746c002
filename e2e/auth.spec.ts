import { test, expect, signInAs } from "./fixtures";

test.describe("sign-up and sign-in", () => {
  test("a new user signs up, lands on their devices, signs out and back in", async ({ page }) => {
    const email = `new-${Date.now()}@example.test`;
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("New Person");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Password must be at least 10 characters")).toBeVisible();

    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/devices/);
    await expect(page.getByTestId("nav-email")).toHaveText(email);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await signInAs(page, { email, password: "a long enough password" });
  });

  test("a duplicate email is refused next to the field", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Alice Again");
    await page.getByLabel("Email").fill("alice@securewave.test");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("An account with this email already exists")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up/);
  });

  test("a wrong password and an unknown email get the same message", async ({ page }) => {
    for (const email of ["bob@securewave.test", "nobody@securewave.test"]) {
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
    }
  });

  test("signed-out visitors are sent to sign-in", async ({ page }) => {
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test.describe("roles", () => {
  test("the admin sees the admin navigation and the admin pages", async ({ signIn }) => {
    const page = await signIn("admin");
    const nav = page.getByTestId("nav");
    for (const item of ["Devices", "Usage", "Support", "Settings", "Ticket queue", "Admin"]) {
      await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
    }
    await page.goto("/admin/jobs");
    await expect(page.getByTestId("job-row").first()).toBeVisible();
    await page.goto("/admin/outbox");
    await expect(page.getByTestId("outbox-row").first()).toBeVisible();
  });

  test("an agent gets the ticket queue but not admin", async ({ signIn }) => {
    const page = await signIn("agent");
    const nav = page.getByTestId("nav");
    await expect(nav.getByRole("link", { name: "Ticket queue" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    const res = await page.goto("/admin/users");
    expect(res?.status()).toBe(403);
  });

  test("a user opening an admin page is refused", async ({ signIn }) => {
    const page = await signIn("user");
    const nav = page.getByTestId("nav");
    await expect(nav.getByRole("link", { name: "Ticket queue" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    const res = await page.goto("/admin");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    const api = await page.request.get("/api/me");
    expect(await api.json()).toMatchObject({ email: "alice@securewave.test", role: "user", status: "active" });
  });
});
