import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, getDbHandle } from "@/db/client";
import { systemActor } from "@/lib/auth/actor";
import { staffListQuery } from "@/lib/dal/tickets";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as ticketRoute from "@/app/api/support/tickets/[id]/route";
import * as statsRoute from "@/app/api/support/stats/route";
import { createTicket, getTicket, getTicketStats, listTickets, updateTicket } from "@/lib/services/support";
import { TagListSchema, TagSchema, UpdateTicketSchema } from "@/lib/validation/support";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const open = (u: { actor: Parameters<typeof createTicket>[0] }, subject = "Tunnel drops") =>
  createTicket(u.actor, { subject, description: "It stops after a minute.", category: "technical", priority: "medium" });

describe("the tag rules", () => {
  it("trims and lowercases a tag, and refuses anything outside a-z, 0-9, -, _ and space or longer than 32", () => {
    expect(TagSchema.parse("  VPN  Issue ")).toBe("vpn issue");
    expect(TagSchema.parse("refund_2024-q1")).toBe("refund_2024-q1");
    for (const bad of ["", "   ", "billing!", "é", "a".repeat(33), "tab\there", "new\nline"]) {
      expect(TagSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(TagSchema.safeParse("a".repeat(32)).success).toBe(true);
  });

  it("deduplicates a list after normalizing, and allows at most 20", () => {
    expect(TagListSchema.parse(["Billing", "billing ", "refund"])).toEqual(["billing", "refund"]);
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(TagListSchema.parse([...twenty, "T0"])).toHaveLength(20);
    expect(TagListSchema.safeParse([...twenty, "t20"]).success).toBe(false);
    expect(UpdateTicketSchema.safeParse({ tags: [] }).success).toBe(true);
    expect(UpdateTicketSchema.safeParse({ tags: "billing" }).success).toBe(false);
  });
});

describe("tags on a ticket", () => {
  it("staff set and remove tags through PATCH; each change leaves an internal note", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await open(u);
    const set = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: t.id }, body: { tags: ["Billing", "refund", "billing"] } });
    expect(set.status).toBe(200);
    expect(set.json.tags).toEqual(["billing", "refund"]);

    const removed = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: t.id }, body: { tags: ["refund"] } });
    expect(removed.json.tags).toEqual(["refund"]);
    // The same set again changes nothing and says nothing.
    await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: t.id }, body: { tags: ["refund"] } });

    const detail = await getTicket(agent.actor, t.id, { view: "staff" });
    const notes = detail.messages.filter((m) => m.isAutomated).map((m) => [m.message, m.isInternal]);
    expect(notes).toEqual([
      ["Tags added billing, refund.", true],
      ["Tags removed billing.", true],
    ]);
    // The requester sees the tags on their ticket but not the notes.
    const mine = await getTicket(u.actor, t.id);
    expect(mine.tags).toEqual(["refund"]);
    expect(mine.messages).toEqual([]);
  });

  it("a requester may not tag their own ticket (403, as for priority), another user gets 404, bad tags are 400", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const agent = await makeUser("agent");
    const t = await open(u);
    const own = await call(ticketRoute.PATCH, { method: "PATCH", token: u.token, params: { id: t.id }, body: { tags: ["urgent"] } });
    expect(own.status).toBe(403);
    const foreign = await call(ticketRoute.PATCH, { method: "PATCH", token: other.token, params: { id: t.id }, body: { tags: ["urgent"] } });
    expect(foreign.status).toBe(404);
    const bad = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: t.id }, body: { tags: ["ok", "not ok!"] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("tags.1");
    const tooMany = await call(ticketRoute.PATCH, { method: "PATCH", token: agent.token, params: { id: t.id }, body: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } });
    expect(tooMany.status).toBe(400);
    expect((await getTicket(agent.actor, t.id, { view: "staff" })).tags).toEqual([]);
  });

  it("GET ?tag= lists only tickets carrying the tag, with the other filters; stats count the queue's tags", async () => {
    const agent = await makeUser("agent");
    const u = await makeUser();
    const a = await open(u, "Refund please");
    const b = await open(u, "Refund again");
    const c = await open(u, "Slow speeds");
    const stamp = Math.random().toString(36).slice(2, 8);
    const refund = `refund-${stamp}`;
    await updateTicket(agent.actor, a.id, { tags: [refund, "billing"] });
    await updateTicket(agent.actor, b.id, { tags: [refund] });
    await updateTicket(agent.actor, c.id, { tags: ["billing"] });

    const res = await call(ticketsRoute.GET, { token: agent.token, path: `/api/support/tickets?tag=${encodeURIComponent(refund.toUpperCase())}` });
    expect(res.status).toBe(200);
    expect(res.json.items.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());

    await updateTicket(agent.actor, b.id, { status: "resolved" });
    const active = await listTickets(agent.actor, { tag: refund, status: "active" }, { view: "staff" });
    expect(active.items.map((t) => t.id)).toEqual([a.id]);
    const bad = await call(ticketsRoute.GET, { token: agent.token, path: "/api/support/tickets?tag=no%21" });
    expect(bad.status).toBe(400);

    const stats = await call(statsRoute.GET, { token: agent.token });
    expect(stats.status).toBe(200);
    const counts = Object.fromEntries((stats.json.tags as Array<{ tag: string; count: number }>).map((x) => [x.tag, x.count]));
    // Only active tickets count: b is resolved.
    expect(counts[refund]).toBe(1);
    expect(counts.billing).toBeGreaterThanOrEqual(2);
    const direct = await getTicketStats(agent.actor);
    expect(direct.tags.find((x) => x.tag === refund)).toEqual({ tag: refund, count: 1 });
  });
});

/** The GIN index is there for the filter: on a real server the planner uses it. */
describe.skipIf(!process.env.TEST_DATABASE_URL)("the tag filter on PostgreSQL", () => {
  it("uses support_tickets_tags_idx for a rare tag over a large history", async () => {
    const u = await makeUser();
    const db = await getDb();
    await db.execute(sql`
      insert into support_tickets (ticket_number, user_id, subject, description, category, priority, status, tags, sla_response_due_at, sla_due_at, created_at)
      select 'TKT-202901-' || lpad(g::text, 5, '0'), ${u.id}, 'bulk', 'bulk', 'technical', 'medium',
        case when g % 2 = 0 then 'resolved' else 'closed' end,
        case when g % 2000 = 0 then '["rare-tag","common"]'::jsonb else '["common"]'::jsonb end,
        now() + make_interval(mins => g), now() + make_interval(mins => g * 3), now()
      from generate_series(1, 20000) g`);
    await db.execute(sql`analyze support_tickets`);
    const handle = await getDbHandle();
    const { default: postgres } = await import("postgres");
    const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
    try {
      const q = staffListQuery(db, systemActor("test"), { tag: "rare-tag", status: "all", limit: 50 }).toSQL();
      const [row] = await client.unsafe(`explain (format json) ${q.sql}`, q.params as never[]);
      expect(JSON.stringify(row)).toContain("support_tickets_tags_idx");
      const page = await listTickets(systemActor("test"), { tag: "rare-tag", status: "all" }, { view: "staff" });
      expect(page.items).toHaveLength(10);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
