import { describe, expect, it } from "vitest";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as ticketRoute from "@/app/api/support/tickets/[id]/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import * as ratingRoute from "@/app/api/support/tickets/[id]/rating/route";
import * as attachmentRoute from "@/app/api/support/tickets/[id]/attachments/[attachmentId]/route";
import * as statsRoute from "@/app/api/support/stats/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { PNG_BYTES } from "./helpers/files";
import { callMultipart, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

async function ticketWithScreenshot() {
  const owner = await makeUser();
  const res = await callMultipart(ticketsRoute.POST, {
    token: owner.token,
    fields: { subject: "Cannot connect", description: "See screenshot", category: "technical", priority: "high" },
    files: [{ name: "screen.png", type: "image/png", bytes: PNG_BYTES }],
  });
  expect(res.status).toBe(201);
  return { owner, ticket: res.json as { id: string; attachments: Array<{ id: string }> } };
}

describe("another user's ticket does not exist for them", () => {
  it("404 on read, reply, close, rating and the attachment; not in their list", async () => {
    const { owner, ticket } = await ticketWithScreenshot();
    const stranger = await makeUser();
    const id = ticket.id;
    const attachmentId = ticket.attachments[0]!.id;

    expect((await call(attachmentRoute.GET, { token: owner.token, params: { id, attachmentId } })).status).toBe(200);
    for (const res of [
      await call(ticketRoute.GET, { token: stranger.token, params: { id } }),
      await call(ticketRoute.PATCH, { method: "PATCH", token: stranger.token, params: { id }, body: { status: "closed" } }),
      await call(messagesRoute.POST, { token: stranger.token, params: { id }, body: { message: "hi" } }),
      await call(ratingRoute.POST, { token: stranger.token, params: { id }, body: { rating: 1 } }),
      await call(attachmentRoute.GET, { token: stranger.token, params: { id, attachmentId } }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
    // The same attachment id under another ticket of the stranger's is not found either.
    const theirs = await call(ticketsRoute.POST, { token: stranger.token, body: { subject: "Mine", description: "x", category: "other", priority: "low" } });
    expect((await call(attachmentRoute.GET, { token: stranger.token, params: { id: theirs.json.id, attachmentId } })).status).toBe(404);
    const list = await call(ticketsRoute.GET, { token: stranger.token });
    expect(list.json.items.map((t: { id: string }) => t.id)).toEqual([theirs.json.id]);
    expect((await call(ticketRoute.GET, { params: { id } })).status).toBe(401);
  });

  it("staff read every ticket and its files; users are refused the stats", async () => {
    const { owner, ticket } = await ticketWithScreenshot();
    const agent = await makeUser("agent");
    const admin = await makeUser("admin");
    for (const who of [agent, admin]) {
      expect((await call(ticketRoute.GET, { token: who.token, params: { id: ticket.id } })).status).toBe(200);
      expect((await call(attachmentRoute.GET, { token: who.token, params: { id: ticket.id, attachmentId: ticket.attachments[0]!.id } })).status).toBe(200);
      expect((await call(statsRoute.GET, { token: who.token })).status).toBe(200);
    }
    const stats = await call(statsRoute.GET, { token: owner.token });
    expect(stats.status).toBe(403);
  });
});

describe("PATCH rules", () => {
  it("a requester may only close their own ticket; anything else is 403", async () => {
    const { owner, ticket } = await ticketWithScreenshot();
    const patch = (body: unknown) => call(ticketRoute.PATCH, { method: "PATCH", token: owner.token, params: { id: ticket.id }, body });
    for (const body of [{ priority: "urgent" }, { status: "resolved" }, { assignedToId: owner.id }, { status: "closed", priority: "low" }]) {
      const res = await patch(body);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
    }
    expect((await patch({ status: "open" })).status).toBe(403);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ status: "nonsense" })).json.error).toMatchObject({ code: "validation_error", details: [{ path: "status" }] });
    const closed = await patch({ status: "closed" });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ status: "closed", closedAt: expect.any(String) });
    const reply = await call(messagesRoute.POST, { token: owner.token, params: { id: ticket.id }, body: { message: "one more thing" } });
    expect(reply.status).toBe(409);
    expect(reply.json.error.code).toBe("conflict");
  });

  it("staff change status, priority and assignee", async () => {
    const { ticket } = await ticketWithScreenshot();
    const agent = await makeUser("agent");
    const res = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: ticket.id }, body: { status: "in_progress", priority: "urgent", assignedToId: agent.id } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "in_progress", priority: "urgent", assignedToId: agent.id });
    const unassign = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: ticket.id }, body: { assignedToId: null } });
    expect(unassign.json.assignedToId).toBeNull();
  });
});

describe("ratings", () => {
  it("only the requester, only once resolved or closed, only once, only 1-5", async () => {
    const { owner, ticket } = await ticketWithScreenshot();
    const agent = await makeUser("agent");
    const rate = (token: string, body: unknown) => call(ratingRoute.POST, { token, params: { id: ticket.id }, body });

    const early = await rate(owner.token, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/resolved or closed/);

    await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: ticket.id }, body: { status: "resolved" } });

    for (const rating of [0, 6, 2.5, "five", null]) {
      const bad = await rate(owner.token, { rating });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details[0].path).toBe("rating");
    }
    const byAgent = await rate(agent.token, { rating: 5 });
    expect(byAgent.status).toBe(403);

    const ok = await rate(owner.token, { rating: 4, feedback: "  Quick and helpful  " });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ userRating: 4, userFeedback: "Quick and helpful", status: "resolved" });

    const again = await rate(owner.token, { rating: 1 });
    expect(again.status).toBe(409);
    const after = await call(ticketRoute.GET, { token: owner.token, params: { id: ticket.id } });
    expect(after.json.userRating).toBe(4);
  });

  it("a closed ticket can be rated too", async () => {
    const { owner, ticket } = await ticketWithScreenshot();
    await call(ticketRoute.PATCH, { method: "PATCH", token: owner.token, params: { id: ticket.id }, body: { status: "closed" } });
    const ok = await call(ratingRoute.POST, { token: owner.token, params: { id: ticket.id }, body: { rating: 2 } });
    expect(ok.status).toBe(200);
    expect(ok.json.userFeedback).toBeNull();
  });
});
