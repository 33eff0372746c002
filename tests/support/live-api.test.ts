import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import * as liveRoute from "@/app/api/support/tickets/[id]/live/route";
import * as presenceRoute from "@/app/api/support/tickets/[id]/presence/route";
import * as queueRoute from "@/app/api/support/queue/version/route";
import { addMessage, createTicket, getQueueVersion, getTicketLive, touchPresence, updateTicket } from "@/lib/services/support";
import { PRESENCE_FRESH_MS, PRESENCE_PRUNE_MS, REPLYING_FRESH_MS } from "@/lib/support/presence";
import { call } from "./api";
import { makeUser } from "./factories";

async function ticketWithConversation() {
  const user = await makeUser();
  const agent = await makeUser("agent");
  const t = await createTicket(user.actor, { subject: "Live", description: "It drops every hour", category: "technical", priority: "medium" });
  const note = await addMessage(agent.actor, t.id, { message: "INTERNAL: known issue on fra1", isInternal: true });
  const reply = await addMessage(agent.actor, t.id, { message: "Which client version?", isInternal: false });
  const answer = await addMessage(user.actor, t.id, { message: "1.0.20210914", isInternal: false });
  return { user, agent, t, note, reply, answer };
}

const get = (handler: Parameters<typeof call>[0], token: string, id: string, query = "", headers: Record<string, string> = {}) =>
  call(handler, { method: "GET", path: `/api/support/tickets/${id}/x${query}`, token, params: { id }, headers });

describe("GET /api/support/tickets/:id/messages", () => {
  it("answers the messages the caller may see, oldest first: never an internal note to the requester", async () => {
    const { user, agent, t, note, reply, answer } = await ticketWithConversation();
    const mine = await get(messagesRoute.GET, user.token, t.id);
    expect(mine.status).toBe(200);
    expect(mine.json.nextCursor).toBeNull();
    expect(mine.json.items.map((m: { id: string }) => m.id)).toEqual([reply.id, answer.id]);
    expect(mine.text).not.toContain("INTERNAL");
    const staff = await get(messagesRoute.GET, agent.token, t.id);
    expect(staff.json.items.map((m: { id: string }) => m.id)).toEqual([note.id, reply.id, answer.id]);
    expect(staff.json.items[0]).toMatchObject({ isInternal: true, author: { isStaff: true } });
  });

  it("?after=<messageId> answers only newer ones; an anchor the caller cannot see is refused like one that does not exist", async () => {
    const { user, agent, t, note, reply, answer } = await ticketWithConversation();
    const after = await get(messagesRoute.GET, user.token, t.id, `?after=${reply.id}`);
    expect(after.json.items.map((m: { id: string }) => m.id)).toEqual([answer.id]);
    expect((await get(messagesRoute.GET, user.token, t.id, `?after=${answer.id}`)).json.items).toEqual([]);
    expect((await get(messagesRoute.GET, agent.token, t.id, `?after=${note.id}`)).json.items.map((m: { id: string }) => m.id)).toEqual([reply.id, answer.id]);

    const hidden = await get(messagesRoute.GET, user.token, t.id, `?after=${note.id}`);
    const unknown = await get(messagesRoute.GET, user.token, t.id, `?after=00000000-0000-0000-0000-000000000000`);
    expect(hidden.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(hidden.json).toEqual(unknown.json);
    // Another ticket's message is no anchor here either.
    const other = await ticketWithConversation();
    expect((await get(messagesRoute.GET, agent.token, t.id, `?after=${other.reply.id}`)).status).toBe(400);
    expect((await get(messagesRoute.GET, user.token, t.id, `?after=bad%00id`)).status).toBe(400);
    expect((await get(messagesRoute.GET, user.token, t.id, `?cursor=garbage`)).status).toBe(400);
  });

  it("pages with nextCursor through every message exactly once", async () => {
    const { user, agent, t } = await ticketWithConversation();
    const base = Date.now() + 60_000;
    for (let i = 0; i < 7; i++) await addMessage(i % 2 ? agent.actor : user.actor, t.id, { message: `m${i}`, isInternal: false }, [], { now: new Date(base + i * 1000) });
    const all = (await get(messagesRoute.GET, agent.token, t.id)).json.items.map((m: { id: string }) => m.id);
    const seen: string[] = [];
    let query = "?limit=3";
    for (;;) {
      const page = await get(messagesRoute.GET, agent.token, t.id, query);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.json.items.map((m: { id: string }) => m.id));
      if (!page.json.nextCursor) break;
      query = `?limit=3&cursor=${page.json.nextCursor}`;
    }
    expect(seen).toEqual(all);
    expect(all).toHaveLength(10);
  });

  it("answers 304 to If-None-Match while nothing changed, and the new page once something did", async () => {
    const { user, agent, t } = await ticketWithConversation();
    const first = await get(messagesRoute.GET, user.token, t.id);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(messagesRoute.GET, user.token, t.id, "", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    // An internal note changes nothing the requester sees.
    await addMessage(agent.actor, t.id, { message: "note", isInternal: true });
    expect((await get(messagesRoute.GET, user.token, t.id, "", { "if-none-match": etag })).status).toBe(304);
    await addMessage(agent.actor, t.id, { message: "A reply", isInternal: false });
    const changed = await get(messagesRoute.GET, user.token, t.id, "", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.json.items.at(-1).message).toBe("A reply");
  });

  it("another user's ticket is 404", async () => {
    const { t } = await ticketWithConversation();
    const stranger = await makeUser();
    expect((await get(messagesRoute.GET, stranger.token, t.id)).status).toBe(404);
    expect((await get(liveRoute.GET, stranger.token, t.id)).status).toBe(404);
  });
});

describe("GET /api/support/tickets/:id/live", () => {
  it("tells a new message, a status change and an assignment apart, with 304 in between", async () => {
    const { user, agent, t, answer } = await ticketWithConversation();
    const first = await get(liveRoute.GET, user.token, t.id);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      ticketId: t.id,
      status: "waiting_support",
      priority: "medium",
      assignedToId: null,
      tags: [],
      updatedAt: expect.any(String),
      messageCount: 2,
      lastMessageId: answer.id,
      presence: [],
    });
    const etag = first.headers.get("etag")!;
    expect((await get(liveRoute.GET, user.token, t.id, "", { "if-none-match": etag })).status).toBe(304);

    const reply = await addMessage(agent.actor, t.id, { message: "Try 1.0.20230223", isInternal: false });
    const afterReply = await get(liveRoute.GET, user.token, t.id, "", { "if-none-match": etag });
    expect(afterReply.status).toBe(200);
    expect(afterReply.json).toMatchObject({ messageCount: 3, lastMessageId: reply.id, status: "waiting_user" });

    await updateTicket(agent.actor, t.id, { assignedToId: agent.id });
    const assigned = await get(liveRoute.GET, user.token, t.id, "", { "if-none-match": afterReply.headers.get("etag")! });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ assignedToId: agent.id, messageCount: 3 });
    // The automated assignment line is an internal note: the staff count has it, the requester's does not.
    const staff = await get(liveRoute.GET, agent.token, t.id);
    expect(staff.json.messageCount).toBe(assigned.json.messageCount + 2);
  });

  it("counts a message committed behind the newest one a page has: ?after misses it, the count does not", async () => {
    const { user, agent, t, answer } = await ticketWithConversation();
    const late = await addMessage(agent.actor, t.id, { message: "written earlier, committed later", isInternal: false }, [], { now: new Date(Date.parse(answer.createdAt) - 1000) });
    expect((await get(messagesRoute.GET, user.token, t.id, `?after=${answer.id}`)).json.items).toEqual([]);
    const live = await get(liveRoute.GET, user.token, t.id);
    expect(live.json.messageCount).toBe(3);
    const all = await get(messagesRoute.GET, user.token, t.id);
    expect(all.json.items.map((m: { id: string }) => m.id)).toContain(late.id);
  });
});

describe("presence", () => {
  const post = (token: string, id: string, body: unknown) => call(presenceRoute.POST, { method: "POST", path: `/api/support/tickets/${id}/presence`, token, params: { id }, body });

  it("shows staff to staff by name and role, never the caller itself, and never to the requester", async () => {
    const { user, agent, t } = await ticketWithConversation();
    const admin = await makeUser("admin");
    expect((await post(agent.token, t.id, { replying: false })).status).toBe(204);
    expect((await post(admin.token, t.id, { replying: true })).status).toBe(204);

    const forAgent = await get(liveRoute.GET, agent.token, t.id);
    expect(forAgent.json.presence).toEqual([{ userId: admin.id, name: admin.name, role: "admin", replying: true, seenAt: expect.any(String) }]);
    const forAdmin = await get(liveRoute.GET, admin.token, t.id);
    expect(forAdmin.json.presence).toMatchObject([{ userId: agent.id, name: agent.name, role: "agent", replying: false }]);
    const forRequester = await get(liveRoute.GET, user.token, t.id);
    expect(forRequester.json.presence).toEqual([]);
    expect(forRequester.text).not.toContain(admin.name!);
  });

  it("is staff-only, needs a real ticket and a boolean", async () => {
    const { user, agent, t } = await ticketWithConversation();
    expect((await post(user.token, t.id, { replying: true })).status).toBe(403);
    expect((await post(agent.token, "00000000-0000-0000-0000-000000000000", { replying: false })).status).toBe(404);
    expect((await post(agent.token, t.id, { replying: "yes" })).status).toBe(400);
  });

  it("fades: present for 30 s after the last beat, replying for 15 s; rows older than ten minutes are pruned by the next write", async () => {
    const { agent, t } = await ticketWithConversation();
    const other = await makeUser("agent");
    const t0 = new Date(Date.now() + 3_600_000);
    await touchPresence(other.actor, t.id, { replying: true }, { now: t0 });
    const at = (ms: number) => getTicketLive(agent.actor, t.id, new Date(t0.getTime() + ms));
    expect((await at(1000)).presence).toMatchObject([{ userId: other.id, replying: true }]);
    expect((await at(REPLYING_FRESH_MS + 1000)).presence).toMatchObject([{ userId: other.id, replying: false }]);
    expect((await at(PRESENCE_FRESH_MS + 1000)).presence).toEqual([]);

    await touchPresence(agent.actor, t.id, { replying: false }, { now: new Date(t0.getTime() + PRESENCE_PRUNE_MS + 1000) });
    const left = await rows<{ user_id: string }>(await getDb(), sql`select user_id from ticket_presence where ticket_id = ${t.id}`);
    expect(left.map((r) => r.user_id)).toEqual([agent.id]);
  });

  it("DELETE takes the caller off at once", async () => {
    const { agent, t } = await ticketWithConversation();
    const other = await makeUser("agent");
    await post(other.token, t.id, { replying: false });
    expect((await getTicketLive(agent.actor, t.id)).presence).toHaveLength(1);
    const del = await call(presenceRoute.DELETE, { method: "DELETE", path: `/api/support/tickets/${t.id}/presence`, token: other.token, params: { id: t.id } });
    expect(del.status).toBe(204);
    expect((await getTicketLive(agent.actor, t.id)).presence).toEqual([]);
  });
});

describe("GET /api/support/queue/version", () => {
  it("moves with every change to an active ticket, and when one leaves the queue; 304 while still", async () => {
    const agent = await makeUser("agent");
    const user = await makeUser();
    const v = () => call(queueRoute.GET, { method: "GET", path: "/api/support/queue/version", token: agent.token });
    const first = await v();
    expect(first.status).toBe(200);
    const still = await call(queueRoute.GET, { method: "GET", path: "/api/support/queue/version", token: agent.token, headers: { "if-none-match": first.headers.get("etag")! } });
    expect(still.status).toBe(304);

    let last = first.json.version as string;
    const step = async () => {
      const next = await getQueueVersion(agent.actor);
      expect(next).not.toBe(last);
      last = next;
    };
    const t = await createTicket(user.actor, { subject: "Queue", description: "x", category: "billing", priority: "low" });
    await step();
    await addMessage(user.actor, t.id, { message: "more details", isInternal: false }, [], { now: new Date(Date.now() + 5000) });
    await step();
    await updateTicket(agent.actor, t.id, { assignedToId: agent.id }, { now: new Date(Date.now() + 10_000) });
    await step();
    await updateTicket(agent.actor, t.id, { status: "resolved" }, { now: new Date(Date.now() + 15_000) });
    // Out of the queue: the active queue is as it was before the ticket came (the version of a set, not a clock).
    await step();
    expect(last).toBe(first.json.version);
    expect(await getQueueVersion(agent.actor)).toBe(last);
  });

  it("is staff-only", async () => {
    const user = await makeUser();
    expect((await call(queueRoute.GET, { method: "GET", path: "/api/support/queue/version", token: user.token })).status).toBe(403);
  });
});

/** Races are real only on PostgreSQL (TEST_DATABASE_URL); on PGlite the same calls run one after the other. */
describe("under concurrency", () => {
  it("concurrent beats of several agents upsert one row each, and every one of them is seen", async () => {
    const { user, t } = await ticketWithConversation();
    const agents = await Promise.all(Array.from({ length: 4 }, () => makeUser("agent")));
    await Promise.all(Array.from({ length: 24 }, (_, i) => touchPresence(agents[i % 4]!.actor, t.id, { replying: i % 2 === 0 })));
    const reader = await makeUser("admin");
    const live = await getTicketLive(reader.actor, t.id);
    expect(live.presence.map((p) => p.userId).sort()).toEqual(agents.map((a) => a.id).sort());
    expect((await getTicketLive(user.actor, t.id)).presence).toEqual([]);
  });

  it("messages sent at once are each listed exactly once, by pages and by the live count", async () => {
    const { user, agent, t } = await ticketWithConversation();
    await Promise.all(Array.from({ length: 30 }, (_, i) => addMessage(i % 2 ? agent.actor : user.actor, t.id, { message: `burst ${i}`, isInternal: false })));
    const seen: string[] = [];
    let query = "?limit=7";
    for (;;) {
      const page = await get(messagesRoute.GET, user.token, t.id, query);
      seen.push(...page.json.items.map((m: { id: string }) => m.id));
      if (!page.json.nextCursor) break;
      query = `?limit=7&cursor=${page.json.nextCursor}`;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const live = await getTicketLive(user.actor, t.id);
    expect(seen).toHaveLength(live.messageCount);
    expect(seen.at(-1)).toBe(live.lastMessageId);
    expect(live.messageCount).toBe(32);
  });
});
