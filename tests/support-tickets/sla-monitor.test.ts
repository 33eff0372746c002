import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox, supportTickets } from "@/db/schema";
import { executeJob } from "@/lib/jobs/execute";
import { getJob } from "@/lib/jobs/registry";
import { slaJob } from "@/lib/jobs/sla";
import { addMessage, createTicket, listTickets, runSlaMonitor, updateTicket } from "@/lib/services/support";
import { makeUser } from "../support/factories";
import { ticketRow, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const H = 3_600_000;
const base = { description: "d", category: "technical" as const };

async function breachAlerts() {
  const db = await getDb();
  return db.select().from(emailOutbox).where(eq(emailOutbox.template, "ticket_sla_breach"));
}

/** Every ticket but these is out of the way: older tests' tickets are flagged already, so counts are ours. */
async function quiet() {
  await runSlaMonitor(new Date(Date.now() + 10_000 * H));
  const db = await getDb();
  await db.delete(emailOutbox).where(eq(emailOutbox.template, "ticket_sla_breach"));
}

describe("SLA monitor", () => {
  it("is registered as the 'sla' job every 15 minutes", () => {
    expect(getJob("sla")).toBe(slaJob);
    expect(slaJob.cron).toBe("*/15 * * * *");
  });

  it("flags a response breach at the due time (not the sweep time), once, and alerts every agent and admin once", async () => {
    await quiet();
    const team = [await makeUser("agent"), await makeUser("admin")];
    const u = await makeUser();
    const created = new Date(Date.now() - 3 * H);
    const t = await createTicket(u.actor, { ...base, subject: "urgent one", priority: "urgent" }, [], { now: created });

    const first = await runSlaMonitor();
    expect(first.response.flagged).toBe(1);
    expect(first.resolution.flagged).toBe(0);
    const row = await ticketRow(t.id);
    expect(row.slaResponseBreached).toBe(true);
    expect(row.slaResponseBreachedAt).toEqual(new Date(created.getTime() + H));
    expect(row.slaBreached).toBe(false);

    const alerts = await breachAlerts();
    const to = alerts.map((a) => a.toAddress).sort();
    for (const member of team) expect(to).toContain(member.email);
    expect(to).not.toContain(u.email);
    expect(alerts.every((a) => a.subject.includes(t.ticketNumber) && a.subject.includes("first response"))).toBe(true);
    const perTicket = alerts.length;

    // Idempotent: a second run (or a retried step) flags and sends nothing.
    const second = await runSlaMonitor();
    expect(second).toEqual({ response: { flagged: 0, alerts: 0 }, resolution: { flagged: 0, alerts: 0 } });
    expect((await breachAlerts()).length).toBe(perTicket);
    expect((await ticketRow(t.id)).slaResponseBreachedAt).toEqual(row.slaResponseBreachedAt);

    // Five hours in, the resolution deadline (4 h) passed too: flagged at its own due time.
    await runSlaMonitor(new Date(created.getTime() + 5 * H));
    const later = await ticketRow(t.id);
    expect(later.slaBreached).toBe(true);
    expect(later.slaBreachedAt).toEqual(new Date(created.getTime() + 4 * H));
    expect((await breachAlerts()).length).toBe(perTicket * 2);
  });

  it("no response breach when the first response came in time; none while paused; none after resolution", async () => {
    await quiet();
    const agent = await makeUser("agent");
    const u = await makeUser();
    const t0 = new Date(Date.now() - 10 * H);
    const answered = await createTicket(u.actor, { ...base, subject: "answered", priority: "high" }, [], { now: t0 });
    await addMessage(agent.actor, answered.id, { message: "On it", isInternal: false }, [], { now: new Date(t0.getTime() + H) });
    // Waiting on the user since 1 h in: the 24 h resolution clock is paused.
    const r = await runSlaMonitor(new Date(t0.getTime() + 40 * H));
    expect(r.response.flagged).toBe(0);
    expect(r.resolution.flagged).toBe(0);
    expect(await ticketRow(answered.id)).toMatchObject({ slaResponseBreached: false, slaBreached: false, status: "waiting_user" });

    const done = await createTicket(u.actor, { ...base, subject: "resolved fast", priority: "urgent" }, [], { now: t0 });
    await addMessage(agent.actor, done.id, { message: "Done", isInternal: false }, [], { now: new Date(t0.getTime() + 0.5 * H) });
    await updateTicket(agent.actor, done.id, { status: "resolved" }, { now: new Date(t0.getTime() + 0.6 * H) });
    const after = await runSlaMonitor(new Date(t0.getTime() + 100 * H));
    expect(after.response.flagged + after.resolution.flagged).toBe(0);
  });

  it("a ticket paused after its deadline had breached already; resuming later counts only running time", async () => {
    await quiet();
    const agent = await makeUser("agent");
    const u = await makeUser();
    const t0 = new Date(Date.now() - 50 * H);
    const t = await createTicket(u.actor, { ...base, subject: "late pause", priority: "high" }, [], { now: t0 });
    await addMessage(agent.actor, t.id, { message: "first", isInternal: false }, [], { now: new Date(t0.getTime() + 2 * H) });
    await addMessage(u.actor, t.id, { message: "reply", isInternal: false }, [], { now: new Date(t0.getTime() + 12 * H) });
    // 10 h paused: the 24 h deadline moved to 34 h.
    expect((await ticketRow(t.id)).slaDueAt).toEqual(new Date(t0.getTime() + 34 * H));
    expect((await runSlaMonitor(new Date(t0.getTime() + 33 * H))).resolution.flagged).toBe(0);
    // The agent asks again at 40 h — after the deadline: the write itself records the breach, at the due time.
    await addMessage(agent.actor, t.id, { message: "more?", isInternal: false }, [], { now: new Date(t0.getTime() + 40 * H) });
    const row = await ticketRow(t.id);
    expect(row).toMatchObject({ status: "waiting_user", slaBreached: true, slaBreachedAt: new Date(t0.getTime() + 34 * H) });
    expect((await breachAlerts()).length).toBeGreaterThan(0);
  });

  it("a first response after the deadline but before the sweep is still a breach (recorded by the reply)", async () => {
    await quiet();
    const agent = await makeUser("agent");
    const u = await makeUser();
    const t0 = new Date(Date.now() - 2 * H);
    const t = await createTicket(u.actor, { ...base, subject: "slow answer", priority: "urgent" }, [], { now: t0 });
    await addMessage(agent.actor, t.id, { message: "Sorry for the wait", isInternal: false });
    expect(await ticketRow(t.id)).toMatchObject({ slaResponseBreached: true, slaResponseBreachedAt: new Date(t0.getTime() + H) });
    expect((await runSlaMonitor()).response.flagged).toBe(0);
  });

  it("runs as a job with counts, and 'breached'/'due soon' filters are computed at read time", async () => {
    await quiet();
    await makeUser("agent");
    const u = await makeUser();
    const overdue = await createTicket(u.actor, { ...base, subject: "overdue", priority: "urgent" }, [], { now: new Date(Date.now() - 2 * H) });
    const soon = await createTicket(u.actor, { ...base, subject: "soon", priority: "high" }, [], { now: new Date(Date.now() - 3.5 * H) });
    const fine = await createTicket(u.actor, { ...base, subject: "fine", priority: "low" });
    const staff = await makeUser("agent");

    const breached = await listTickets(staff.actor, { sla: "breached", status: "active" });
    expect(breached.items.map((i) => i.id)).toContain(overdue.id);
    expect(breached.items.find((i) => i.id === overdue.id)!.slaState).toBe("breached");
    const dueSoon = await listTickets(staff.actor, { sla: "due_soon", status: "active" });
    expect(dueSoon.items.map((i) => i.id)).toContain(soon.id);
    expect(dueSoon.items.map((i) => i.id)).not.toContain(fine.id);
    expect(dueSoon.items.map((i) => i.id)).not.toContain(overdue.id);

    const run = await executeJob(slaJob, { trigger: "manual", runner: "embedded" });
    expect(run).toMatchObject({ status: "succeeded", counts: { responseBreaches: 1, resolutionBreaches: 0 } });
    expect(run!.counts!.alertsQueued).toBeGreaterThanOrEqual(2);
    const again = await executeJob(slaJob, { trigger: "manual", runner: "embedded" });
    expect(again!.counts).toEqual({ responseBreaches: 0, resolutionBreaches: 0, alertsQueued: 0 });
    expect((await ticketRow(overdue.id)).slaResponseBreached).toBe(true);
    // Untouched tickets keep their flags false and their updated_at.
    const db = await getDb();
    const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(supportTickets).where(eq(supportTickets.id, fine.id));
    expect(n).toBe(1);
    expect((await ticketRow(fine.id)).slaResponseBreached).toBe(false);
  });
});
