import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, emailOutbox } from "@/db/schema";
import * as abuseRoute from "@/app/api/admin/abuse/route";
import * as resolveRoute from "@/app/api/admin/abuse/[id]/resolve/route";
import * as warnRoute from "@/app/api/admin/abuse/[id]/warn/route";
import { listIncidents } from "@/lib/dal/abuse";
import { listUserIncidents } from "@/lib/dal/abuse-history";
import { createTicket } from "@/lib/services/support";
import { suspendIncidentUser } from "@/lib/services/abuse/incidents";
import { throttleUser } from "@/lib/services/throttle";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { setThresholds } from "./fixtures";

let admin: Awaited<ReturnType<typeof makeUser>>;
let agent: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  setThresholds();
  admin = await makeUser("admin");
  agent = await makeUser("agent");
});

/** The warning emails in the outbox for an address (a new account also gets its welcome email). */
const warningsTo = async (to: string) =>
  (await getDb()).select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, "abuse_warning")));

const report = (token: string, body: Record<string, unknown>) => call(abuseRoute.POST as never, { token, body });

async function auditActions(incidentId: string) {
  return (await getDb())
    .select({ action: auditLog.action, actorId: auditLog.actorId, metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "abuse_incident"), eq(auditLog.targetId, incidentId)))
    .orderBy(auditLog.id);
}

describe("POST /api/admin/abuse: manual incidents", () => {
  it("an admin opens one by hand: 201, detectionMethod manual, pending, in the queue; audited", async () => {
    const user = await makeUser();
    const res = await report(admin.token, { userId: user.id, type: "account_sharing", severity: "medium", description: "Seen on five networks at once" });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      userId: user.id,
      userEmail: user.email,
      incidentType: "account_sharing",
      severity: "medium",
      description: "Seen on five networks at once",
      detectionMethod: "manual",
      actionTaken: "none",
      status: "pending",
      warningSent: false,
      warningSentAt: null,
      warningSentBy: null,
      reportedBy: admin.email,
      ticketId: null,
      resolvedAt: null,
    });
    const queue = await listIncidents(admin.actor, { status: "pending" });
    expect(queue.items.map((i) => i.id)).toContain(res.json.id);
    expect((await auditActions(res.json.id)).map((a) => [a.action, a.actorId])).toEqual([["abuse.reported", admin.id]]);
  });

  it("409 conflict while one of that type is open for that user; other types and other users are fine; closing it allows a new one", async () => {
    const user = await makeUser();
    const body = { userId: user.id, type: "rapid_reconnects", severity: "low", description: "Reconnects every second" };
    const first = await report(admin.token, body);
    expect(first.status).toBe(201);
    const again = await report(admin.token, { ...body, severity: "high", description: "Again" });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: "conflict", message: expect.stringContaining("rapid reconnects") });
    expect((await report(admin.token, { ...body, type: "concurrent_connections" })).status).toBe(201);
    expect((await report(admin.token, { ...body, userId: (await makeUser()).id })).status).toBe(201);

    const resolved = await call(resolveRoute.POST as never, { token: admin.token, params: { id: first.json.id }, body: { status: "false_positive", note: "A flaky router" } });
    expect(resolved.status).toBe(200);
    expect((await report(admin.token, body)).status).toBe(201);
  });

  it("only admins open one without a ticket: agents and users 403; bad input 400; an unknown user 404", async () => {
    const user = await makeUser();
    const body = { userId: user.id, type: "excessive_bandwidth", severity: "high", description: "x" };
    expect((await report(agent.token, body)).status).toBe(403);
    expect((await report(user.token, body)).status).toBe(403);
    for (const bad of [{ ...body, type: "spam" }, { ...body, severity: "extreme" }, { ...body, description: "  " }, { ...body, userId: "bad id!" }, { ...body, extra: true }, { ...body, description: "x".repeat(2001) }]) {
      const res = await report(admin.token, bad);
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    expect((await report(admin.token, { ...body, userId: "00000000-0000-0000-0000-000000000000" })).status).toBe(404);
    // A null ticket is no ticket: a manual incident, admins only.
    expect((await report(agent.token, { ...body, ticketId: null })).status).toBe(403);
    expect((await report(admin.token, { ...body, ticketId: null })).json).toMatchObject({ detectionMethod: "manual", ticketId: null });
  });
});

describe("POST /api/admin/abuse with a ticket: user reports", () => {
  it("an agent turns a ticket into a user_report incident linking it; it enters the same queue and lifecycle", async () => {
    const user = await makeUser();
    const ticket = await createTicket(user.actor, { subject: "Someone uses my account", description: "I see sessions from countries I never visited", category: "account", priority: "high" });
    const res = await report(agent.token, { userId: user.id, type: "account_sharing", severity: "high", description: "Requester reports foreign sessions", ticketId: ticket.id });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ detectionMethod: "user_report", ticketId: ticket.id, reportedBy: agent.email, status: "pending" });
    expect(res.json.metadata).toMatchObject({ ticketId: ticket.id, ticketNumber: ticket.ticketNumber, ticketSubject: "Someone uses my account", reportedByRequester: true });
    expect((await auditActions(res.json.id)).map((a) => [a.action, a.actorId, a.metadata?.ticketId])).toEqual([["abuse.reported", agent.id, ticket.id]]);

    // The same lifecycle: an admin may warn and close it.
    const warned = await call(warnRoute.POST as never, { token: admin.token, params: { id: res.json.id }, body: {} });
    expect(warned.json).toMatchObject({ warningSent: true, detectionMethod: "user_report" });
    // …and a second report of that type on that user is a conflict, for agents too.
    const twice = await report(agent.token, { userId: user.id, type: "account_sharing", severity: "low", description: "dup", ticketId: ticket.id });
    expect(twice.status).toBe(409);
    // An agent cannot warn (admins only).
    expect((await call(warnRoute.POST as never, { token: agent.token, params: { id: res.json.id }, body: {} })).status).toBe(403);

    // …nor close it; an admin closes it with a note, once; the ticket link and the warning stay.
    const resolve = (token: string, body: Record<string, unknown>) => call(resolveRoute.POST as never, { token, params: { id: res.json.id }, body });
    expect((await resolve(agent.token, { status: "resolved", note: "Agent tries" })).status).toBe(403);
    const before = Date.now();
    const closed = await resolve(admin.token, { status: "resolved", note: "Password changed; sessions ended" });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json).toMatchObject({
      id: res.json.id,
      status: "resolved",
      resolutionNote: "Password changed; sessions ended",
      detectionMethod: "user_report",
      ticketId: ticket.id,
      reportedBy: agent.email,
      warningSent: true,
      actionTaken: "warning_sent",
    });
    expect(Date.parse(closed.json.resolvedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await resolve(admin.token, { status: "false_positive", note: "again" })).status).toBe(409);
    expect((await auditActions(res.json.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["abuse.reported", agent.id],
      ["abuse.warning_sent", admin.id],
      ["abuse.resolved", admin.id],
    ]);
    // Closed, the user's history shows it so, and a new report of that type on that user is accepted again.
    expect((await listUserIncidents(admin.actor, user.id)).items.map((i) => [i.id, i.status])).toEqual([[res.json.id, "resolved"]]);
    const reopened = await report(agent.token, { userId: user.id, type: "account_sharing", severity: "low", description: "It happened again", ticketId: ticket.id });
    expect(reopened.status, reopened.text).toBe(201);
    expect(reopened.json).toMatchObject({ detectionMethod: "user_report", status: "pending", ticketId: ticket.id });
  });

  it("an unknown ticket is 404; a plain user cannot report even with a ticket of theirs", async () => {
    const user = await makeUser();
    const ticket = await createTicket(user.actor, { subject: "Help", description: "Please", category: "technical", priority: "low" });
    const body = { userId: user.id, type: "excessive_bandwidth", severity: "low", description: "d" };
    expect((await report(agent.token, { ...body, ticketId: "00000000-0000-0000-0000-000000000000" })).status).toBe(404);
    expect((await report(user.token, { ...body, ticketId: ticket.id })).status).toBe(403);
    // An admin with a ticket files a user report too.
    const byAdmin = await report(admin.token, { ...body, ticketId: ticket.id });
    expect(byAdmin.json).toMatchObject({ detectionMethod: "user_report", reportedBy: admin.email });
  });
});

describe("POST /api/admin/abuse/:id/warn", () => {
  it("emails the user through the outbox (what was seen, what happens next), marks warningSent beside actionTaken, audits; once", async () => {
    const user = await makeUser();
    const incident = (await report(admin.token, { userId: user.id, type: "excessive_bandwidth", severity: "high", description: "3.2 TB downloaded in 24 h" })).json;
    await throttleUser(admin.actor, user.id, { rateKbit: 2000, hours: 12, incidentId: incident.id });

    const before = Date.now();
    const res = await call(warnRoute.POST as never, { token: admin.token, params: { id: incident.id }, body: { note: "Please slow down your backups." } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: incident.id, warningSent: true, warningSentBy: admin.email, actionTaken: "warning_sent", status: "pending" });
    expect(new Date(res.json.warningSentAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const emails = await warningsTo(user.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ template: "abuse_warning", subject: expect.stringContaining("Warning") });
    expect(emails[0].text).toContain("3.2 TB downloaded in 24 h");
    expect(emails[0].text).toContain("unusually heavy data use");
    expect(emails[0].text).toContain("What happens next");
    expect(emails[0].text).toContain("Please slow down your backups.");
    expect(emails[0].text).toContain("limited to 2 Mbit/s");

    expect((await auditActions(incident.id)).map((a) => [a.action, a.actorId, a.metadata?.emailId])).toEqual([
      ["abuse.reported", admin.id, undefined],
      ["abuse.warning_sent", admin.id, emails[0].id],
    ]);

    const again = await call(warnRoute.POST as never, { token: admin.token, params: { id: incident.id }, body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain(admin.email);
    expect(await warningsTo(user.email)).toHaveLength(1);
  });

  it("keeps a stronger action taken; users 403; an unknown incident 404", async () => {
    const user = await makeUser();
    const incident = (await report(admin.token, { userId: user.id, type: "concurrent_connections", severity: "critical", description: "40 sessions at once" })).json;
    await suspendIncidentUser(admin.actor, incident.id, "Reselling access");
    const warned = await call(warnRoute.POST as never, { token: admin.token, params: { id: incident.id }, body: {} });
    expect(warned.json).toMatchObject({ warningSent: true, actionTaken: "account_suspended" });
    const [email] = await warningsTo(user.email);
    expect(email.text).not.toContain("limited to");

    expect((await call(warnRoute.POST as never, { token: user.token, params: { id: incident.id }, body: {} })).status).toBe(403);
    expect((await call(warnRoute.POST as never, { token: admin.token, params: { id: "00000000-0000-0000-0000-000000000000" }, body: {} })).status).toBe(404);
  });
});
