import type { Browser, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";

// A real 1×1 PNG: what a screenshot starts with.
const SCREENSHOT = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

async function pageAs(browser: Browser, who: Who): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, who);
  return page;
}

test.describe("support tickets", () => {
  test("a user opens a ticket with a screenshot, an agent notes and replies, the user sees only the reply and rates it", async ({ browser }) => {
    test.setTimeout(180_000);
    const stamp = Date.now();
    const subject = `WireGuard handshake fails ${stamp}`;
    const note = `Internal: checked fra1 logs, peer key mismatch ${stamp}`;
    const reply = `Please re-import your configuration, then try again ${stamp}`;

    // Alice opens a ticket with a screenshot attached.
    const alice = await pageAs(browser, "user");
    await alice.goto("/support");
    await alice.getByRole("link", { name: "New ticket" }).click();
    await expect(alice).toHaveURL(/\/support\/new$/);
    await alice.getByLabel("Subject").fill(subject);
    await alice.getByLabel("Category").selectOption("technical");
    await alice.getByLabel("Priority").selectOption("high");
    await alice.getByLabel("Description").fill("Since this morning my laptop cannot connect. Screenshot attached.");
    await alice.getByLabel("Attach files").setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: SCREENSHOT });
    await alice.getByRole("button", { name: "Open ticket" }).click();
    await expect(alice).toHaveURL(/\/support\/[0-9a-f-]{36}$/);
    const ticketUrl = alice.url();
    const ticketId = ticketUrl.split("/").pop()!;
    await expect(alice.getByRole("heading", { name: subject })).toBeVisible();
    await expect(alice.getByTestId("ticket-status")).toHaveText("Open");
    const attachment = alice.getByTestId("attachment").filter({ hasText: "screenshot.png" });
    await expect(attachment).toBeVisible();
    const file = await alice.request.get((await attachment.getByRole("link").getAttribute("href"))!);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(file.headers()["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.from(await file.body()).equals(SCREENSHOT)).toBe(true);

    // Bob cannot see it, neither the page nor the file.
    const bob = await pageAs(browser, "other");
    // (The page streams behind a loading boundary, so the 404 is the page's content, not the status line.)
    await bob.goto(ticketUrl);
    await expect(bob.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(bob.getByText(subject)).toHaveCount(0);
    expect((await bob.request.get(`/api/support/tickets/${ticketId}`)).status()).toBe(404);

    // The agent finds it in the queue, takes it, writes an internal note and a reply, and resolves it.
    const agent = await pageAs(browser, "agent");
    await agent.goto("/agent/tickets?priority=high&category=technical");
    await expect(agent.getByTestId("ticket-stats")).toBeVisible();
    const row = agent.getByTestId("queue-row").filter({ hasText: subject });
    await expect(row).toBeVisible();
    await expect(row.getByTestId("sla-countdown")).toHaveAttribute("data-sla-state", /on_track|due_soon/);
    await row.getByRole("link").click();
    await expect(agent.getByRole("heading", { name: subject })).toBeVisible();
    await expect(agent.getByTestId("attachment").filter({ hasText: "screenshot.png" })).toBeVisible();

    await agent.getByRole("button", { name: "Assign to me" }).click();
    await expect(agent.getByLabel("Assignee")).toHaveValue(/.+/);

    const form = agent.getByTestId("message-form");
    await form.getByLabel("Internal note").first().check();
    await form.getByRole("textbox", { name: "Internal note" }).fill(note);
    await form.getByRole("button", { name: "Add internal note" }).click();
    const noteMessage = agent.getByTestId("message").filter({ hasText: note });
    await expect(noteMessage).toBeVisible();
    await expect(noteMessage).toHaveAttribute("data-internal", "true");
    await expect(noteMessage.getByText("Internal note", { exact: true })).toBeVisible();

    await form.getByLabel("Reply to customer").check();
    await form.getByRole("textbox", { name: "Message" }).fill(reply);
    await form.getByRole("button", { name: "Send reply" }).click();
    await expect(agent.getByTestId("message").filter({ hasText: reply })).toHaveAttribute("data-internal", "false");
    await expect(agent.getByTestId("ticket-status").first()).toHaveText("Waiting on customer");

    await agent.getByLabel("Status").selectOption("resolved");
    await agent.getByRole("button", { name: "Save changes" }).click();
    await expect(agent.getByTestId("ticket-status").first()).toHaveText("Resolved");

    // Alice sees the reply, never the note.
    await alice.goto(ticketUrl);
    await expect(alice.getByText(reply)).toBeVisible();
    await expect(alice.getByTestId("ticket-status")).toHaveText("Resolved");
    expect(await alice.content()).not.toContain(note);
    await expect(alice.getByText(note)).toHaveCount(0);
    const json = await (await alice.request.get(`/api/support/tickets/${ticketId}`)).text();
    expect(json).toContain(reply);
    expect(json).not.toContain(note);

    // The emailed link pre-selects a score but saves nothing until the form is sent.
    await alice.goto(`/rate/${ticketId}?score=4`);
    await expect(alice.getByRole("radio", { name: "4 stars" })).toBeChecked();
    await alice.goto(ticketUrl);
    await expect(alice.getByTestId("rating-form")).toBeVisible();

    await alice.getByRole("radio", { name: "5 stars" }).check({ force: true });
    await alice.getByLabel("Comments (optional)").fill("Fixed within the hour, thanks!");
    await alice.getByRole("button", { name: "Submit rating" }).click();
    await expect(alice.getByTestId("rating-given")).toContainText("Fixed within the hour, thanks!");
    await alice.reload();
    await expect(alice.getByTestId("rating-given")).toContainText("Fixed within the hour, thanks!");
    await alice.goto(`/rate/${ticketId}?score=1`);
    await expect(alice.getByTestId("rating-given")).toBeVisible();

    // A signed-out visitor following the emailed link is asked to sign in first, and nothing is written.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`/rate/${ticketId}?score=2`);
    await expect(visitor).toHaveURL(/\/sign-in\?callbackUrl=/);

    // The agent sees the rating.
    await agent.reload();
    await expect(agent.getByText("Fixed within the hour, thanks!")).toBeVisible();
  });
});
