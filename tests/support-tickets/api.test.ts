import { describe, expect, it } from "vitest";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as ticketRoute from "@/app/api/support/tickets/[id]/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import * as statsRoute from "@/app/api/support/stats/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const TICKET_FIELDS = [
  "id",
  "ticketNumber",
  "userId",
  "assignedToId",
  "subject",
  "description",
  "category",
  "priority",
  "status",
  "tags",
  "slaResponseDueAt",
  "slaDueAt",
  "slaBreached",
  "firstResponseAt",
  "resolvedAt",
  "closedAt",
  "userRating",
  "userFeedback",
  "createdAt",
  "updatedAt",
];

const body = (n: number, over: Record<string, unknown> = {}) => ({ subject: `Ticket ${n}`, description: "Details", category: "technical", priority: "medium", ...over });

describe("support API", () => {
  it("creates a ticket: 201 with ticketNumber and exactly the documented fields (plus SLA extras)", async () => {
    const u = await makeUser();
    const res = await call(ticketsRoute.POST, { token: u.token, body: body(1, { priority: "urgent" }) });
    expect(res.status).toBe(201);
    expect(res.json.ticketNumber).toMatch(/^TKT-\d{6}-\d{5}$/);
    for (const f of TICKET_FIELDS) expect(res.json).toHaveProperty(f);
    expect(Object.keys(res.json).filter((k) => !TICKET_FIELDS.includes(k)).sort()).toEqual(["attachments", "deviceSnapshot", "messages", "slaPausedAt", "slaResponseBreached", "slaState"]);
    expect(res.json).toMatchObject({ status: "open", priority: "urgent", tags: [], slaBreached: false, slaState: "due_soon", userId: u.id });
    expect(res.text).not.toMatch(/metadata|sla_paused_seconds|storageKey/);
  });

  it("validates with details and never leaks internals", async () => {
    const u = await makeUser();
    const bad = await call(ticketsRoute.POST, { token: u.token, body: { subject: "x".repeat(201), description: "", category: "refund", priority: "asap" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["category", "description", "priority", "subject"]);
    const notJson = await call(ticketsRoute.POST, { token: u.token, rawBody: "{oops", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    const array = await call(ticketsRoute.POST, { token: u.token, rawBody: "[1]", headers: { "content-type": "application/json" } });
    expect(array.status).toBe(400);
    const noAuth = await call(ticketsRoute.POST, { body: body(1) });
    expect(noAuth.status).toBe(401);
    const unknownTicket = await call(ticketRoute.GET, { token: u.token, params: { id: "'; drop table support_tickets; --" } });
    expect(unknownTicket.status).toBe(404);
    const badQuery = await call(ticketsRoute.GET, { token: u.token, path: "/api/support/tickets?status=weird&limit=0" });
    expect(badQuery.status).toBe(400);
    expect(badQuery.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "status"]);
    const badCursor = await call(ticketsRoute.GET, { token: u.token, path: "/api/support/tickets?cursor=bm9wZQ" });
    expect(badCursor.status).toBe(400);
    const forged = Buffer.from("new|2024-01-01 00:00:00 garbage|x\u0000").toString("base64url");
    expect((await call(ticketsRoute.GET, { token: u.token, path: `/api/support/tickets?cursor=${forged}` })).status).toBe(400);
    const nul = await call(ticketsRoute.GET, { token: u.token, path: "/api/support/tickets?assignedTo=a%00b" });
    expect(nul.status).toBe(400);
    expect(nul.json.error.details[0].path).toBe("assignedTo");
    const nulId = await call(ticketRoute.PATCH, { method: "PATCH", token: u.token, params: { id: "x\u0000" }, body: { status: "closed" } });
    expect(nulId.status).toBe(404);
  });

  it("pages with limit and cursor: users newest first, staff most urgent SLA first, no repeats or gaps", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const priorities = ["low", "urgent", "medium", "high", "low", "urgent", "medium"];
    const ids: string[] = [];
    for (const [i, p] of priorities.entries()) ids.push((await call(ticketsRoute.POST, { token: u.token, body: body(i, { priority: p }) })).json.id);

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res: { json: { items: Array<{ id: string }>; nextCursor: string | null } } = await call(ticketsRoute.GET, {
        token: u.token,
        path: `/api/support/tickets?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      });
      pages.push(res.json.items.map((i) => i.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());

    const staffAll: Array<{ id: string; slaDueAt: string; requester: { email: string } }> = [];
    cursor = null;
    do {
      const res: { json: { items: typeof staffAll; nextCursor: string | null } } = await call(ticketsRoute.GET, {
        token: agent.token,
        path: `/api/support/tickets?status=active&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      });
      staffAll.push(...res.json.items);
      cursor = res.json.nextCursor;
    } while (cursor);
    const mine = staffAll.filter((t) => ids.includes(t.id));
    expect(mine).toHaveLength(ids.length);
    expect(new Set(staffAll.map((t) => t.id)).size).toBe(staffAll.length);
    const dues = staffAll.map((t) => t.slaDueAt);
    expect(dues).toEqual([...dues].sort());
    expect(mine[0]!.requester.email).toBe(u.email);

    // A user's cursor cannot be replayed on the staff list (different sort).
    const userPage = await call(ticketsRoute.GET, { token: u.token, path: "/api/support/tickets?limit=1" });
    expect((await call(ticketsRoute.GET, { token: agent.token, path: `/api/support/tickets?cursor=${userPage.json.nextCursor}` })).status).toBe(400);

    const urgent = await call(ticketsRoute.GET, { token: agent.token, path: "/api/support/tickets?priority=urgent&status=open&category=technical" });
    expect(urgent.json.items.map((t: { id: string }) => t.id).filter((id: string) => ids.includes(id)).sort()).toEqual([ids[1], ids[5]].sort());
    const capped = await call(ticketsRoute.GET, { token: agent.token, path: "/api/support/tickets?limit=1000" });
    expect(capped.status).toBe(200);
  });

  it("GET one ticket answers its messages in order; stats answer the staff numbers", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const id = (await call(ticketsRoute.POST, { token: u.token, body: body(1) })).json.id;
    await call(messagesRoute.POST, { token: agent.token, params: { id }, body: { message: "Hello from support" } });
    await call(messagesRoute.POST, { token: u.token, params: { id }, body: { message: "Thanks", isInternal: false } });
    const one = await call(ticketRoute.GET, { token: u.token, params: { id } });
    expect(one.json.messages.map((m: { message: string }) => m.message)).toEqual(["Hello from support", "Thanks"]);
    expect(one.json.messages[0]).toMatchObject({ isInternal: false, isAutomated: false, author: { isStaff: true }, attachments: [] });
    expect(one.json.status).toBe("waiting_support");
    expect(one.json.firstResponseAt).not.toBeNull();

    const stats = await call(statsRoute.GET, { token: agent.token });
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ total: expect.any(Number), open: expect.any(Number), resolved: expect.any(Number), slaBreaches: expect.any(Number) });
    expect(stats.json).toHaveProperty("averageResolutionSeconds");
    expect(stats.json).toHaveProperty("averageFirstResponseSeconds");
  });
});
