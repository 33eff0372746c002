import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ticketMessages, supportTickets } from "@/db/schema";
import { addMessage, createTicket, getTicket, getTicketStats, listTickets, updateTicket } from "@/lib/services/support";
import { makeServer, makeUser } from "../support/factories";
import { createPeer } from "@/lib/services/peers";
import { outboxTo, ticketRow, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const H = 3_600_000;
const T0 = new Date(Date.UTC(2031, 4, 10, 9, 0, 0));
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const ticket = (over: Partial<{ subject: string; priority: "low" | "medium" | "high" | "urgent"; category: string }> = {}) => ({
  subject: over.subject ?? "VPN drops every few minutes",
  description: "Since yesterday my laptop disconnects.",
  category: (over.category ?? "technical") as "technical",
  priority: over.priority ?? "medium",
});

// First in the file: it needs an empty table for the averages.
describe("statistics", () => {
  it("counts totals, open, resolved, averages and breaches", async () => {
    const agent = await makeUser("agent");
    const before = await getTicketStats(agent.actor);
    const u = await makeUser();
    const t = await createTicket(u.actor, ticket(), [], { now: at(0) });
    await addMessage(agent.actor, t.id, { message: "Hi", isInternal: false }, [], { now: at(2) });
    await updateTicket(agent.actor, t.id, { status: "resolved" }, { now: at(6) });
    await createTicket(u.actor, ticket());
    const s = await getTicketStats(agent.actor);
    expect(s.total - before.total).toBe(2);
    expect(s.open - before.open).toBe(1);
    expect(s.resolved - before.resolved).toBe(1);
    expect(before.total).toBe(0);
    expect(s.averageFirstResponseSeconds).toBe(7200);
    expect(s.averageResolutionSeconds).toBe(6 * 3600);
    await expect(getTicketStats(u.actor)).rejects.toMatchObject({ status: 403 });
    await (await getDb()).update(supportTickets).set({ slaBreached: true }).where(eq(supportTickets.id, t.id));
    expect((await getTicketStats(agent.actor)).slaResolutionBreaches - before.slaResolutionBreaches).toBe(1);
  });
});

describe("creating tickets", () => {
  it("numbers tickets per month, sets both SLA deadlines and emails the requester", async () => {
    const u = await makeUser();
    const may = new Date(Date.UTC(2032, 4, 31, 23, 0));
    const a = await createTicket(u.actor, ticket({ priority: "high" }), [], { now: may });
    const b = await createTicket(u.actor, ticket(), [], { now: new Date(may.getTime() + 1000) });
    const june = await createTicket(u.actor, ticket(), [], { now: new Date(Date.UTC(2032, 5, 1)) });
    expect(a.ticketNumber).toBe("TKT-203205-00001");
    expect(b.ticketNumber).toBe("TKT-203205-00002");
    expect(june.ticketNumber).toBe("TKT-203206-00001");
    expect(a).toMatchObject({ status: "open", priority: "high", userId: u.id, assignedToId: null, slaResponseDueAt: new Date(may.getTime() + 4 * H).toISOString(), slaDueAt: new Date(may.getTime() + 24 * H).toISOString(), slaBreached: false, messages: [] });

    const mails = await outboxTo(u.email);
    expect(mails.map((m) => m.template)).toEqual(["ticket_created", "ticket_created", "ticket_created"]);
    expect(mails[0]!.subject).toContain("TKT-203205-00001");
    expect(mails[0]!.text).toContain(`/support/${a.id}`);
  });

  it("stores a snapshot of the requester's devices for a vpn_connection ticket", async () => {
    const server = await makeServer({ name: "Snapshot Server" });
    const u = await makeUser();
    await createPeer(u.actor, { serverId: server.id, deviceName: "Work laptop", deviceType: "linux" });
    const t = await createTicket(u.actor, ticket({ category: "vpn_connection" }));
    expect(t.deviceSnapshot?.devices).toEqual([
      expect.objectContaining({ deviceName: "Work laptop", serverName: "Snapshot Server", serverStatus: "offline", lastHandshakeAt: null, endpoint: null, bytesSent: 0, bytesReceived: 0 }),
    ]);
    expect(JSON.stringify(t.deviceSnapshot)).not.toMatch(/private|preshared|publicKey/i);
    const other = await createTicket(u.actor, ticket({ category: "billing" }));
    expect(other.deviceSnapshot).toBeNull();
  });
});

describe("the conversation moves the status and the SLA clock", () => {
  it("stamps the first staff response (not notes, not automated lines), waits on the user, then resumes on their reply", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await createTicket(u.actor, ticket(), [], { now: at(0) });

    await updateTicket(agent.actor, t.id, { status: "in_progress" }, { now: at(0.5) });
    await addMessage(agent.actor, t.id, { message: "Looking into it (note)", isInternal: true }, [], { now: at(1) });
    let row = await ticketRow(t.id);
    expect(row.firstResponseAt).toBeNull();
    expect(row.status).toBe("in_progress");

    await addMessage(agent.actor, t.id, { message: "Which app version?", isInternal: false }, [], { now: at(2) });
    row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "waiting_user", firstResponseAt: at(2), slaPausedAt: at(2) });

    await addMessage(u.actor, t.id, { message: "1.0.20210914", isInternal: false }, [], { now: at(7) });
    row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "waiting_support", slaPausedAt: null, slaPausedSeconds: 5 * 3600, slaDueAt: at(72 + 5), firstResponseAt: at(2) });

    await addMessage(agent.actor, t.id, { message: "Second answer", isInternal: false }, [], { now: at(8) });
    expect((await ticketRow(t.id)).firstResponseAt).toEqual(at(2));
  });

  it("reopens a resolved ticket on the user's reply, without counting the resolved time; a closed one refuses replies (409)", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await createTicket(u.actor, ticket(), [], { now: at(0) });
    await addMessage(agent.actor, t.id, { message: "Fixed on our side", isInternal: false }, [], { now: at(1) });
    await updateTicket(agent.actor, t.id, { status: "resolved" }, { now: at(2) });
    let row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "resolved", resolvedAt: at(2), slaPausedAt: at(1) });

    await addMessage(u.actor, t.id, { message: "Still broken", isInternal: false }, [], { now: at(10) });
    row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "waiting_support", resolvedAt: null, slaPausedAt: null, slaPausedSeconds: 9 * 3600, slaDueAt: at(81) });

    await updateTicket(u.actor, t.id, { status: "closed" }, { now: at(11) });
    row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "closed", closedAt: at(11), resolvedAt: at(11) });
    await expect(addMessage(u.actor, t.id, { message: "hello?", isInternal: false })).rejects.toMatchObject({ status: 409, code: "conflict" });
    await expect(addMessage(agent.actor, t.id, { message: "note", isInternal: true })).rejects.toMatchObject({ status: 409 });
  });

  it("a priority change recomputes both deadlines from creation, keeping paused time, and leaves an internal automated note", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await createTicket(u.actor, ticket({ priority: "low" }), [], { now: at(0) });
    await addMessage(agent.actor, t.id, { message: "Need logs", isInternal: false }, [], { now: at(1) });
    await addMessage(u.actor, t.id, { message: "Here", isInternal: false }, [], { now: at(3) });
    const changed = await updateTicket(agent.actor, t.id, { priority: "urgent" }, { now: at(3.5) });
    expect(changed).toMatchObject({ priority: "urgent", slaResponseDueAt: at(1).toISOString(), slaDueAt: at(4 + 2).toISOString() });

    const lines = await (await getDb()).select().from(ticketMessages).where(eq(ticketMessages.ticketId, t.id));
    expect(lines.find((m) => m.isAutomated)).toMatchObject({ isInternal: true, message: expect.stringContaining("Priority changed from low to urgent") });
    const seen = await getTicket(u.actor, t.id);
    expect(seen.messages.some((m) => m.isAutomated)).toBe(false);
  });

  it("assigns to staff only, and lists by filters", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const other = await makeUser();
    const t = await createTicket(u.actor, ticket({ priority: "urgent" }));
    await expect(updateTicket(agent.actor, t.id, { assignedToId: other.id })).rejects.toMatchObject({ status: 400, details: [{ path: "assignedToId" }] });
    const assigned = await updateTicket(agent.actor, t.id, { assignedToId: agent.id });
    expect(assigned.assignedToId).toBe(agent.id);

    const mine = await listTickets(agent.actor, { assignedTo: "me" });
    expect(mine.items.map((i) => i.id)).toEqual([t.id]);
    expect(mine.items[0]).toMatchObject({ requester: { id: u.id, email: u.email }, assignee: { id: agent.id } });
    expect((await listTickets(agent.actor, { assignedTo: "none", priority: "urgent" })).items.map((i) => i.id)).not.toContain(t.id);
    expect((await listTickets(u.actor, {})).items.map((i) => i.id)).toEqual([t.id]);
    expect((await listTickets(other.actor, {})).items).toEqual([]);
  });

  it("emails the requester on a staff status change, with rating links once resolved", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await createTicket(u.actor, ticket());
    await updateTicket(agent.actor, t.id, { status: "resolved" });
    const mail = (await outboxTo(u.email)).find((m) => m.template === "ticket_status")!;
    expect(mail.subject).toContain("Resolved");
    for (const n of [1, 2, 3, 4, 5]) expect(mail.html).toContain(`/rate/${t.id}?score=${n}`);
  });
});
