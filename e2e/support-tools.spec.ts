import { createRequire } from "node:module";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";

const require = createRequire(import.meta.url);

/**
 * The agents' tools in the browser: tags on the ticket page and the queue
 * filtered by them, bulk changes of selected rows, macros written by an
 * admin and inserted by an agent, the customer panel. Every page is checked
 * at 390 px and 1440 px for sideways overflow and with axe.
 */

async function pageAs(browser: Browser, who: Who, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

/** A ticket of Alice's, through the API as her browser would send it. */
async function openTicket(alice: Page, subject: string): Promise<{ id: string; ticketNumber: string }> {
  const origin = new URL(alice.url()).origin;
  const res = await alice.request.post("/api/support/tickets", {
    headers: { origin },
    data: { subject, description: "Opened for the agent tools test.", category: "billing", priority: "medium" },
  });
  expect(res.status()).toBe(201);
  return res.json();
}

async function noOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `no sideways scrolling on ${page.url()}`).toBeLessThanOrEqual(0);
}

/** axe-core over the page's main content: no serious or critical violation. */
async function axe(page: Page) {
  await page.addScriptTag({ path: require.resolve("axe-core") });
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (el: Element) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
    const result = await run(document.querySelector("main") ?? document.body);
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  expect(violations).toEqual([]);
}

async function checkLayouts(browser: Browser, who: Who, path: string, ready: (page: Page) => Promise<void>) {
  for (const width of [390, 1440]) {
    // The page's strict CSP would refuse the injected axe script.
    const page = await pageAs(browser, who, { viewport: { width, height: 900 }, bypassCSP: true });
    await page.goto(path);
    await ready(page);
    await noOverflow(page);
    await axe(page);
    await page.context().close();
  }
}

test.describe("agent tools", () => {
  test.describe.configure({ timeout: 180_000 });

  test("tags set and removed on the ticket page, the queue filtered by tag, bulk assign and status on selected rows", async ({ browser }) => {
    const stamp = Date.now().toString(36);
    const tag = `e2e-${stamp}`;
    const alice = await pageAs(browser, "user");
    const first = await openTicket(alice, `Double charge ${stamp}`);
    const second = await openTicket(alice, `Invoice missing ${stamp}`);

    const agent = await pageAs(browser, "agent");
    await agent.goto(`/agent/tickets/${first.id}`);
    await expect(agent.getByRole("heading", { name: `Double charge ${stamp}` })).toBeVisible();

    // The customer panel: Alice's plan, standing and her other open ticket.
    const customer = agent.getByTestId("customer-context");
    await expect(customer.getByTestId("customer-status")).toHaveAttribute("data-status", "active");
    await expect(customer.getByTestId("customer-plan")).not.toBeEmpty();
    await expect(customer.getByRole("link", { name: `Invoice missing ${stamp}` })).toHaveAttribute("href", `/agent/tickets/${second.id}`);

    // Tags: add two (typed in capitals: stored lowercase), remove one.
    const editor = agent.getByTestId("tag-editor");
    await editor.getByLabel("Add a tag").fill(tag.toUpperCase());
    await editor.getByRole("button", { name: "Add", exact: true }).click();
    await expect(editor.getByTestId("ticket-tag").filter({ hasText: tag })).toBeVisible();
    await editor.getByLabel("Add a tag").fill("billing");
    await editor.getByRole("button", { name: "Add", exact: true }).click();
    await expect(editor.getByTestId("ticket-tag")).toHaveText([tag, "billing"]);
    await editor.getByRole("button", { name: "Remove tag billing" }).click();
    await expect(editor.getByTestId("ticket-tag")).toHaveText([tag]);
    await agent.reload();
    await expect(agent.getByTestId("tag-editor").getByTestId("ticket-tag")).toHaveText([tag]);
    const saved = await (await agent.request.get(`/api/support/tickets/${first.id}`)).json();
    expect(saved.tags).toEqual([tag]);

    // The queue: the tag's count links to the filtered queue; the filter form picks it too.
    await agent.goto("/agent/tickets");
    await expect(agent.getByTestId("tag-counts").getByRole("link", { name: `${tag} 1 open ticket`, exact: true })).toBeVisible();
    await agent.getByLabel("Tag", { exact: true }).selectOption(tag);
    await agent.getByRole("button", { name: "Filter" }).click();
    await expect(agent).toHaveURL(new RegExp(`tag=${tag}`));
    await expect(agent.getByTestId("queue-row")).toHaveCount(1);
    await expect(agent.getByTestId("queue-row")).toHaveAttribute("data-ticket-number", first.ticketNumber);

    // Bulk: select both tickets, assign them to the agent and set them in progress.
    await agent.goto("/agent/tickets?category=billing");
    const rows = agent.getByTestId("queue-row");
    const pick = (t: { ticketNumber: string }) => agent.locator(`[data-testid="queue-row"][data-ticket-number="${t.ticketNumber}"]`);
    await pick(first).getByRole("checkbox").check();
    await pick(second).getByRole("checkbox").check();
    await expect(agent.getByTestId("selection-count")).toHaveText("2 tickets selected");
    const bulk = agent.getByTestId("bulk-actions");
    const me = await (await agent.request.get("/api/me")).json();
    await bulk.getByLabel("Assign to").selectOption(me.id);
    await bulk.getByLabel("Set status").selectOption("in_progress");
    await bulk.getByLabel("Add tags").fill(`bulk-${stamp}`);
    await bulk.getByRole("button", { name: "Apply to 2 tickets" }).click();
    await expect(agent.getByTestId("bulk-result")).toHaveText("Updated 2 tickets.");
    for (const t of [first, second]) {
      await expect(pick(t).getByTestId("ticket-status")).toHaveText("In progress");
      await expect(pick(t)).toContainText("assigned to Sam Support");
      const json = await (await agent.request.get(`/api/support/tickets/${t.id}`)).json();
      expect(json).toMatchObject({ status: "in_progress", assignedToId: me.id });
      expect(json.tags).toContain(`bulk-${stamp}`);
    }

    // Select all on the page, then none.
    await agent.getByLabel("Select all on this page").check();
    const count = await rows.count();
    await expect(agent.getByTestId("selection-count")).toHaveText(count === 1 ? "1 ticket selected" : `${count} tickets selected`);
    await agent.getByLabel("Select all on this page").uncheck();
    await expect(agent.getByTestId("selection-count")).toHaveText("0 tickets selected");

    // Alice cannot do any of it.
    const refused = await alice.request.post("/api/support/tickets/bulk", { headers: { origin: new URL(alice.url()).origin }, data: { ids: [first.id], status: "closed" } });
    expect(refused.status()).toBe(403);

    await checkLayouts(browser, "agent", "/agent/tickets?category=billing", async (page) => {
      await page.getByTestId("queue-row").first().getByRole("checkbox").check();
      await expect(page.getByTestId("bulk-actions")).toBeVisible();
    });
    await checkLayouts(browser, "agent", `/agent/tickets/${first.id}`, async (page) => {
      await expect(page.getByTestId("customer-context")).toBeVisible();
      await expect(page.getByTestId("tag-editor")).toBeVisible();
    });
  });

  test("an admin writes a macro, an agent inserts it into a reply: text filled in, status and tags applied", async ({ browser }) => {
    const stamp = Date.now().toString(36);
    const name = `Refund done ${stamp}`;
    const alice = await pageAs(browser, "user");
    const ticket = await openTicket(alice, `Refund please ${stamp}`);

    const admin = await pageAs(browser, "admin");
    await admin.goto("/agent/macros");
    const create = admin.getByTestId("create-macro");
    await create.getByLabel("Name").fill(name);
    await create.getByLabel("Reply text").fill("Hello {{customer.name}}, your refund for {{ticket.number}} is on its way. {{agent.name}}");
    await create.getByLabel("Set status").selectOption("resolved");
    await create.getByLabel("Add tags").fill(`refund-${stamp}, Billing`);
    await create.getByRole("button", { name: "Add macro" }).click();
    const row = admin.getByTestId("macro-row").filter({ hasText: name });
    await expect(row).toBeVisible();
    await expect(row).toContainText("Sets status: Resolved");
    await expect(row).toContainText(`refund-${stamp}`);

    // Agents read the list but cannot change it.
    const agent = await pageAs(browser, "agent");
    await agent.goto("/agent/macros");
    await expect(agent.getByTestId("macro-row").filter({ hasText: name })).toBeVisible();
    await expect(agent.getByRole("button", { name: `Edit macro ${name}` })).toHaveCount(0);
    await expect(agent.getByTestId("create-macro")).toHaveCount(0);
    const list = await (await agent.request.get("/api/support/macros?limit=200")).json();
    const macro = list.items.find((m: { name: string }) => m.name === name);
    expect(macro).toMatchObject({ setStatus: "resolved", addTags: [`refund-${stamp}`, "billing"] });
    expect((await agent.request.post("/api/support/macros", { headers: { origin: new URL(agent.url()).origin }, data: { name: `x ${stamp}`, body: "x" } })).status()).toBe(403);

    // The agent inserts it: placeholders filled, then the reply resolves and tags the ticket.
    await agent.goto(`/agent/tickets/${ticket.id}`);
    const form = agent.getByTestId("message-form");
    await form.getByLabel("Insert macro").selectOption({ label: name });
    const filled = `Hello Alice Example, your refund for ${ticket.ticketNumber} is on its way. Sam Support`;
    await expect(form.getByRole("textbox", { name: "Message" })).toHaveValue(filled);
    await form.getByRole("button", { name: "Send reply" }).click();
    await expect(agent.getByTestId("message").filter({ hasText: filled })).toBeVisible();
    await expect(agent.getByTestId("ticket-status").first()).toHaveText("Resolved");
    await expect(agent.getByTestId("tag-editor").getByTestId("ticket-tag")).toHaveText([`refund-${stamp}`, "billing"]);
    const json = await (await alice.request.get(`/api/support/tickets/${ticket.id}`)).json();
    expect(json.status).toBe("resolved");
    expect(json.messages.map((m: { message: string }) => m.message)).toContain(filled);

    // The admin edits it, then deletes it.
    await admin.reload();
    await admin.getByRole("button", { name: `Edit macro ${name}` }).click();
    const dialog = admin.getByRole("dialog", { name: "Edit macro" });
    await dialog.getByLabel("Name").fill(`${name} v2`);
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(admin.getByTestId("macro-row").filter({ hasText: `${name} v2` })).toBeVisible();
    await admin.getByRole("button", { name: `Delete macro ${name} v2` }).click();
    await admin.getByRole("dialog", { name: "Delete macro" }).getByRole("button", { name: "Delete macro" }).click();
    await expect(admin.getByTestId("macro-row").filter({ hasText: name })).toHaveCount(0);

    await checkLayouts(browser, "admin", "/agent/macros", async (page) => {
      await expect(page.getByTestId("create-macro")).toBeVisible();
    });
  });
});
