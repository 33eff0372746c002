import { describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, supportTickets, ticketMessages } from "@/db/schema";
import * as bulkRoute from "@/app/api/support/tickets/bulk/route";
import { bulkUpdateTickets, createTicket, updateTicket } from "@/lib/services/support";
import { setStatus } from "../support/factories";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { ageTicket, outboxTo, ticketRow, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const H = 3_600_000;
const T0 = new Date(Date.UTC(2033, 2, 1, 8, 0, 0));
const at = (hours: number) => new Date(T0.getTime() + hours * H);

type Maker = Awaited<ReturnType<typeof makeUser>>;
const open = (u: Maker, n: number, now = at(0), priority: "low" | "medium" | "high" | "urgent" = "medium") =>
  Promise.all(Array.from({ length: n }, (_, i) => createTicket(u.actor, { subject: `Bulk ${i}`, description: "Needs a hand", category: "technical", priority }, [], { now })));

/** The columns a status change writes: a bulk change must leave exactly what single updates leave. */
const clockOf = (r: Awaited<ReturnType<typeof ticketRow>>) => ({
  status: r.status,
  slaDueAt: r.slaDueAt.toISOString(),
  slaPausedAt: r.slaPausedAt?.toISOString() ?? null,
  slaPausedSeconds: r.slaPausedSeconds,
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
  closedAt: r.closedAt?.toISOString() ?? null,
  slaResponseBreached: r.slaResponseBreached,
  slaBreached: r.slaBreached,
});

describe("bulk actions", () => {
  it("apply the same status rules as single updates: clocks pause and resume, stamps, breaches caught up", async () => {
    const agent = await makeUser("agent");
    const u = await makeUser();
    const singles = await open(u, 3);
    const bulks = await open(u, 3);
    // One of each pair is past its response deadline (24 h on medium) when first changed.
    const steps: Array<{ status: "waiting_user" | "in_progress" | "resolved" | "open" | "closed"; now: Date }> = [
      { status: "waiting_user", now: at(30) },
      { status: "in_progress", now: at(40) },
      { status: "resolved", now: at(50) },
      { status: "open", now: at(51) },
      { status: "closed", now: at(60) },
    ];
    for (const step of steps) {
      for (const t of singles) await updateTicket(agent.actor, t.id, { status: step.status }, { now: step.now });
      const res = await bulkUpdateTickets(agent.actor, { ids: bulks.map((t) => t.id), status: step.status }, { now: step.now });
      expect(res.updated).toBe(3);
    }
    for (let i = 0; i < 3; i++) {
      const single = clockOf(await ticketRow(singles[i]!.id));
      expect(clockOf(await ticketRow(bulks[i]!.id))).toEqual(single);
    }
    // Waiting on the customer for 10 h and resolved for 1 h pushed the resolution deadline by 11 h; the late response was recorded.
    const after = await ticketRow(bulks[0]!.id);
    expect(after.slaPausedSeconds).toBe(11 * 3600);
    expect(after.slaResponseBreached).toBe(true);

    // Same automated lines as single updates, and the same emails.
    const db = await getDb();
    const lines = async (id: string) =>
      (await db.select({ m: ticketMessages.message, i: ticketMessages.isInternal }).from(ticketMessages).where(eq(ticketMessages.ticketId, id)).orderBy(ticketMessages.createdAt)).map((r) => `${r.i}:${r.m}`);
    expect(await lines(bulks[0]!.id)).toEqual(await lines(singles[0]!.id));
    const mails = await outboxTo(u.email);
    const statusMails = mails.filter((m) => m.template === "ticket_status");
    expect(statusMails).toHaveLength(2 * 3 * steps.length);
  });

  it("assigns to staff only, unassigns with null, and counts only the tickets that changed", async () => {
    const agent = await makeUser("agent");
    const other = await makeUser("agent");
    const customer = await makeUser();
    const tickets = await open(customer, 4);
    const ids = tickets.map((t) => t.id);
    await updateTicket(agent.actor, ids[0]!, { assignedToId: other.id });

    const res = await call(bulkRoute.POST, { token: agent.token, body: { ids, assigneeId: other.id } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ updated: 3 });
    const db = await getDb();
    const assigned = await db.select({ id: supportTickets.id }).from(supportTickets).where(and(inArray(supportTickets.id, ids), eq(supportTickets.assignedToId, other.id)));
    expect(assigned).toHaveLength(4);
    expect(await db.select().from(ticketMessages).where(and(eq(ticketMessages.ticketId, ids[1]!), eq(ticketMessages.isInternal, true)))).toHaveLength(1);

    const notStaff = await call(bulkRoute.POST, { token: agent.token, body: { ids, assigneeId: customer.id } });
    expect(notStaff.status).toBe(400);
    expect(notStaff.json.error.details).toEqual([{ path: "assigneeId", message: "Not a support agent or admin" }]);
    await setStatus(other.id, "suspended");
    expect((await call(bulkRoute.POST, { token: agent.token, body: { ids, assigneeId: agent.id } })).json).toEqual({ updated: 4 });
    expect((await call(bulkRoute.POST, { token: agent.token, body: { ids, assigneeId: other.id } })).status).toBe(400);

    const unassign = await call(bulkRoute.POST, { token: agent.token, body: { ids: ids.slice(0, 2), assigneeId: null } });
    expect(unassign.json).toEqual({ updated: 2 });
    expect((await ticketRow(ids[0]!)).assignedToId).toBeNull();

    // The audit log has one line per bulk action that changed something, naming the tickets.
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, "ticket.bulk_updated"), eq(auditLog.actorId, agent.id)));
    expect(audits).toHaveLength(3);
    expect(audits.at(-1)!.metadata).toMatchObject({ ticketIds: expect.arrayContaining(ids.slice(0, 2)), assigneeId: null });
  });

  it("adds tags to what each ticket has; a ticket that would pass 20 tags refuses the whole action", async () => {
    const agent = await makeUser("agent");
    const customer = await makeUser();
    const [a, b, c] = await open(customer, 3);
    await updateTicket(agent.actor, a!.id, { tags: ["vip"] });
    await updateTicket(agent.actor, b!.id, { tags: ["billing", "refund"] });
    const res = await bulkUpdateTickets(agent.actor, { ids: [a!.id, b!.id, c!.id], addTags: ["billing", "refund"] });
    expect(res.updated).toBe(2);
    expect((await ticketRow(a!.id)).tags).toEqual(["vip", "billing", "refund"]);
    expect((await ticketRow(b!.id)).tags).toEqual(["billing", "refund"]);
    expect((await ticketRow(c!.id)).tags).toEqual(["billing", "refund"]);

    const nineteen = Array.from({ length: 19 }, (_, i) => `t${i}`);
    await updateTicket(agent.actor, c!.id, { tags: nineteen });
    const full = await call(bulkRoute.POST, { token: agent.token, body: { ids: [a!.id, c!.id], addTags: ["x1", "x2"] } });
    expect(full.status).toBe(409);
    expect(full.json.error.message).toContain("more than 20 tags");
    expect((await ticketRow(a!.id)).tags).toEqual(["vip", "billing", "refund"]);
  });

  it("skips ids that name no ticket, validates the request and is for staff only", async () => {
    const agent = await makeUser("agent");
    const customer = await makeUser();
    const [t] = await open(customer, 1);
    const res = await call(bulkRoute.POST, { token: agent.token, body: { ids: [t!.id, "00000000-0000-0000-0000-000000000000", t!.id], status: "in_progress" } });
    expect(res.json).toEqual({ updated: 1 });
    const again = await call(bulkRoute.POST, { token: agent.token, body: { ids: [t!.id], status: "in_progress" } });
    expect(again.json).toEqual({ updated: 0 });

    const tooMany = await call(bulkRoute.POST, { token: agent.token, body: { ids: Array.from({ length: 101 }, (_, i) => `id-${i}`), status: "open" } });
    expect(tooMany.status).toBe(400);
    const nothing = await call(bulkRoute.POST, { token: agent.token, body: { ids: [t!.id] } });
    expect(nothing.status).toBe(400);
    const badId = await call(bulkRoute.POST, { token: agent.token, body: { ids: ["../etc\u0000"], status: "open" } });
    expect(badId.status).toBe(400);
    const extra = await call(bulkRoute.POST, { token: agent.token, body: { ids: [t!.id], priority: "urgent" } });
    expect(extra.status).toBe(400);
    const asCustomer = await call(bulkRoute.POST, { token: customer.token, body: { ids: [t!.id], status: "closed" } });
    expect(asCustomer.status).toBe(403);
    expect((await ticketRow(t!.id)).status).toBe("in_progress");
  });

  it("handles a full page of 100 tickets in one action", async () => {
    const agent = await makeUser("agent");
    const customers = await Promise.all([makeUser(), makeUser()]);
    const tickets = (await Promise.all(customers.map((c) => open(c, 50)))).flat();
    await ageTicket(tickets[0]!.id, 30);
    const res = await bulkUpdateTickets(agent.actor, { ids: tickets.map((t) => t.id), status: "waiting_user", addTags: ["batch"], assigneeId: agent.id }, { now: at(1) });
    expect(res.updated).toBe(100);
    const rows = await (await getDb()).select().from(supportTickets).where(inArray(supportTickets.id, tickets.map((t) => t.id)));
    expect(rows.every((r) => r.status === "waiting_user" && r.slaPausedAt !== null && r.assignedToId === agent.id && r.tags.includes("batch"))).toBe(true);
    // The aged ticket's missed first response was recorded before its clock stopped.
    expect(rows.find((r) => r.id === tickets[0]!.id)!.slaResponseBreached).toBe(true);
  });
});

/** PGlite runs one transaction at a time: races need a real server. */
describe.skipIf(!process.env.TEST_DATABASE_URL)("bulk actions on PostgreSQL", () => {
  it("a bulk status change racing single updates and another bulk ends consistent, with no deadlock", async () => {
    const agent = await makeUser("agent");
    const other = await makeUser("agent");
    const customers = await Promise.all([makeUser(), makeUser()]);
    const tickets = (await Promise.all(customers.map((c) => open(c, 15)))).flat();
    const ids = tickets.map((t) => t.id);
    const reversed = [...ids].reverse();

    const results = await Promise.allSettled([
      bulkUpdateTickets(agent.actor, { ids, status: "waiting_user", addTags: ["race"] }),
      bulkUpdateTickets(other.actor, { ids: reversed, status: "in_progress", assigneeId: other.id }),
      ...ids.map((id, i) => updateTicket(i % 2 ? agent.actor : other.actor, id, i % 3 ? { status: "resolved" } : { status: "waiting_user", tags: ["single"] })),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);

    const db = await getDb();
    const rows = await db.select().from(supportTickets).where(inArray(supportTickets.id, ids));
    for (const r of rows) {
      // The clock invariant: paused exactly while with the customer or done, and the deadline moved by what was paused.
      const stopped = ["waiting_user", "resolved", "closed"].includes(r.status);
      expect(r.slaPausedAt !== null, `${r.ticketNumber} ${r.status}`).toBe(stopped);
      expect(r.slaDueAt.getTime()).toBe(r.createdAt.getTime() + 72 * H + r.slaPausedSeconds * 1000);
      expect(r.resolvedAt !== null).toBe(r.status === "resolved");
      // Each status line is one transition from the status the ticket really had: the lines chain from Open to
      // the status it has now (counted per status, so ties in their timestamps do not matter).
      const lines = await db
        .select({ m: ticketMessages.message })
        .from(ticketMessages)
        .where(and(eq(ticketMessages.ticketId, r.id), eq(ticketMessages.isInternal, false)));
      const balance = new Map<string, number>();
      for (const { m } of lines) {
        const [, from, to] = /^Status changed from (.+) to (.+)\.$/.exec(m)!;
        balance.set(from!, (balance.get(from!) ?? 0) - 1);
        balance.set(to!, (balance.get(to!) ?? 0) + 1);
      }
      const now = { waiting_user: "Waiting for the customer", in_progress: "In progress", resolved: "Resolved" }[r.status as "waiting_user" | "in_progress" | "resolved"];
      const expected = new Map<string, number>([["Open", -1]]);
      expected.set(now, (expected.get(now) ?? 0) + 1);
      const nonZero = (m: Map<string, number>) => Object.fromEntries([...m].filter(([, n]) => n !== 0));
      expect(nonZero(balance), `${r.ticketNumber}: ${lines.map((l) => l.m).join(" | ")}`).toEqual(nonZero(expected));
    }
  });
});
