import type { Browser, Page } from "@playwright/test";
import { test, expect, signInAs, type Who } from "./fixtures";

async function pageAs(browser: Browser, who: Who): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, who);
  return page;
}

/** Letters only, so the word stays one search token; unique to this run. */
const word = () => `zq${Date.now().toString(36).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]!)}`;

test("a requester searches their own tickets, highlighted; an internal note's words find nothing for them", async ({ browser }) => {
  test.setTimeout(120_000);
  const w = word();
  const secret = `${w}secret`;
  const alice = await pageAs(browser, "user");
  const created = await alice.request.post("/api/support/tickets", {
    data: { subject: `Tunnel ${w} drops`, description: "Every few minutes", category: "vpn_connection", priority: "medium" },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  const agent = await pageAs(browser, "agent");
  expect((await agent.request.post(`/api/support/tickets/${id}/messages`, { data: { message: `Note: ${secret}`, isInternal: true } })).status()).toBe(201);

  await alice.goto("/support");
  await alice.getByRole("searchbox", { name: "Search your tickets" }).fill(w);
  await alice.getByRole("button", { name: "Search" }).click();
  await expect(alice).toHaveURL(new RegExp(`/support\\?q=${w}`));
  const rows = alice.getByTestId("ticket-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator("mark")).toHaveText(w);

  await alice.goto(`/support?q=${secret}`);
  await expect(alice.getByTestId("ticket-row")).toHaveCount(0);
  await expect(alice.getByText("No ticket matches")).toBeVisible();
  await expect(alice.locator("body")).not.toContainText("Note:");

  // Staff search the whole queue, internal notes included, with the matching words marked.
  await agent.goto(`/agent/tickets?q=${secret}`);
  const queueRows = agent.getByTestId("queue-row");
  await expect(queueRows).toHaveCount(1);
  await expect(queueRows.first().getByTestId("search-highlight").locator("mark")).toHaveText(secret);
  await expect(queueRows.first().getByTestId("search-highlight")).toContainText("Note:");
});
