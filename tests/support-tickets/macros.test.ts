import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, ticketMessages } from "@/db/schema";
import * as macrosRoute from "@/app/api/support/macros/route";
import * as macroRoute from "@/app/api/support/macros/[id]/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import { addMessage, createMacro, createTicket, getTicket, updateTicket } from "@/lib/services/support";
import { fillMacro } from "@/lib/support/macros";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { callMultipart, outboxTo, ticketRow, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const vars = { customerName: "Alice", ticketNumber: "TKT-203001-00042", agentName: "Sam", subject: "VPN drops" };

describe("fillMacro", () => {
  it("fills the four placeholders, leaves unknown ones as written, and never expands a value again", () => {
    expect(fillMacro("Hi {{customer.name}}, about {{ticket.number}} ({{ticket.subject}}). — {{agent.name}}", vars)).toBe("Hi Alice, about TKT-203001-00042 (VPN drops). — Sam");
    expect(fillMacro("{{ customer.name }} {{customer.email}} {{unknown}} {customer.name}", vars)).toBe("Alice {{customer.email}} {{unknown}} {customer.name}");
    expect(fillMacro("{{customer.name}}", { ...vars, customerName: "{{agent.name}} $& $1" })).toBe("{{agent.name}} $& $1");
    expect(fillMacro("No placeholders at all.", vars)).toBe("No placeholders at all.");
  });
});

describe("macros API", () => {
  it("admins create, edit and delete; staff read; everyone else is refused", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const user = await makeUser();
    const created = await call(macrosRoute.POST, { token: admin.token, body: { name: "Refund issued", body: "Hi {{customer.name}}, we refunded you.", setStatus: "resolved", addTags: ["Billing", "refund"] } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      name: "Refund issued",
      body: "Hi {{customer.name}}, we refunded you.",
      setStatus: "resolved",
      addTags: ["billing", "refund"],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.json.id as string;

    expect((await call(macrosRoute.POST, { token: agent.token, body: { name: "Nope", body: "x" } })).status).toBe(403);
    expect((await call(macrosRoute.GET, { token: user.token })).status).toBe(403);
    const dup = await call(macrosRoute.POST, { token: admin.token, body: { name: "REFUND ISSUED", body: "again" } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe("duplicate_name");
    const bad = await call(macrosRoute.POST, { token: admin.token, body: { name: "", body: "x", setStatus: "done", addTags: ["ok", "not ok!"] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["addTags.1", "name", "setStatus"]);

    const list = await call(macrosRoute.GET, { token: agent.token });
    expect(list.status).toBe(200);
    expect(list.json).toEqual({ items: [created.json], nextCursor: null });
    expect((await call(macroRoute.GET, { token: agent.token, params: { id } })).json.name).toBe("Refund issued");

    const patched = await call(macroRoute.PATCH, { method: "PATCH", token: admin.token, params: { id }, body: { setStatus: null, body: "Refunded, {{customer.name}}." } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: "Refund issued", body: "Refunded, {{customer.name}}.", setStatus: null, addTags: ["billing", "refund"] });
    expect((await call(macroRoute.PATCH, { method: "PATCH", token: agent.token, params: { id }, body: { name: "Mine" } })).status).toBe(403);
    expect((await call(macroRoute.PATCH, { method: "PATCH", token: admin.token, params: { id }, body: {} })).status).toBe(400);

    expect((await call(macroRoute.DELETE, { method: "DELETE", token: agent.token, params: { id } })).status).toBe(403);
    const gone = await call(macroRoute.DELETE, { method: "DELETE", token: admin.token, params: { id } });
    expect(gone.status).toBe(204);
    expect(gone.text).toBe("");
    expect((await call(macroRoute.DELETE, { method: "DELETE", token: admin.token, params: { id } })).status).toBe(404);
    expect((await call(macroRoute.GET, { token: agent.token, params: { id } })).status).toBe(404);

    const db = await getDb();
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, "support_macro"), eq(auditLog.targetId, id)))).map((a) => a.action);
    expect(actions.sort()).toEqual(["support_macro.created", "support_macro.deleted", "support_macro.updated"]);
  });

  it("lists by name, case-insensitively, a page at a time", async () => {
    const admin = await makeUser("admin");
    for (const name of ["delta", "Alpha", "charlie", "Bravo", "echo"]) await createMacro(admin.actor, { name: `${name} page`, body: "x", setStatus: null, addTags: [] });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(macrosRoute.GET, { token: admin.token, path: `/api/support/macros?limit=2${cursor ? `&cursor=${cursor}` : ""}` });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      names.push(...res.json.items.map((m: { name: string }) => m.name).filter((n: string) => n.endsWith(" page")));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(names).toEqual(["Alpha page", "Bravo page", "charlie page", "delta page", "echo page"]);
    expect((await call(macrosRoute.GET, { token: admin.token, path: "/api/support/macros?cursor=garbage" })).status).toBe(400);
  });
});

describe("a reply written from a macro", () => {
  it("applies the macro's status and tags in the same step as the message, under the usual rules", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const u = await makeUser();
    const macro = await createMacro(admin.actor, { name: "Solved", body: "Glad it works, {{customer.name}}!", setStatus: "resolved", addTags: ["solved", "vpn"] });
    const t = await createTicket(u.actor, { subject: "Cannot connect", description: "Handshake fails", category: "technical", priority: "high" });
    await updateTicket(agent.actor, t.id, { tags: ["vpn"] });

    const res = await callMultipart(messagesRoute.POST, { token: agent.token, params: { id: t.id }, fields: { message: "Glad it works, Alice!", isInternal: "false", macroId: macro.id } });
    expect(res.status).toBe(201);
    const row = await ticketRow(t.id);
    expect(row.status).toBe("resolved");
    expect(row.tags).toEqual(["vpn", "solved"]);
    expect(row.resolvedAt).not.toBeNull();
    expect(row.firstResponseAt).not.toBeNull();
    expect(row.slaPausedAt).not.toBeNull();

    const detail = await getTicket(agent.actor, t.id, { view: "staff" });
    expect(detail.messages.map((m) => [m.message, m.isInternal, m.isAutomated])).toEqual([
      ["Tags added vpn.", true, true],
      ["Glad it works, Alice!", false, false],
      ["Status changed from Open to Resolved.", false, true],
      ["Tags added solved.", true, true],
    ]);
    const mails = (await outboxTo(u.email)).map((m) => m.template);
    expect(mails).toEqual(["ticket_created", "ticket_reply", "ticket_status"]);
  });

  it("a macro that does not exist, or one that would pass 20 tags, writes nothing; requesters cannot use macros", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const u = await makeUser();
    const t = await createTicket(u.actor, { subject: "Billing", description: "Charged twice", category: "billing", priority: "medium" });
    const missing = await call(messagesRoute.POST, { token: agent.token, params: { id: t.id }, body: { message: "Hello", macroId: "00000000-0000-0000-0000-000000000000" } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details).toEqual([{ path: "macroId", message: "This macro does not exist" }]);

    const many = await createMacro(admin.actor, { name: "Many tags", body: "x", setStatus: "in_progress", addTags: ["extra-1", "extra-2"] });
    await updateTicket(agent.actor, t.id, { tags: Array.from({ length: 19 }, (_, i) => `t${i}`) });
    const full = await call(messagesRoute.POST, { token: agent.token, params: { id: t.id }, body: { message: "Hello", macroId: many.id } });
    expect(full.status).toBe(409);

    const byRequester = await call(messagesRoute.POST, { token: u.token, params: { id: t.id }, body: { message: "Hi", macroId: many.id } });
    expect(byRequester.status).toBe(403);

    const db = await getDb();
    const written = await db.select().from(ticketMessages).where(and(eq(ticketMessages.ticketId, t.id), eq(ticketMessages.isAutomated, false)));
    expect(written).toEqual([]);
    const row = await ticketRow(t.id);
    expect(row.status).toBe("open");
    expect(row.tags).toHaveLength(19);
    expect(row.firstResponseAt).toBeNull();

    // A macro deleted while the reply was being written: the same clear refusal.
    const gone = await createMacro(admin.actor, { name: "Short-lived", body: "x", setStatus: null, addTags: [] });
    await call(macroRoute.DELETE, { method: "DELETE", token: admin.token, params: { id: gone.id } });
    await expect(addMessage(agent.actor, t.id, { message: "Hello", isInternal: false, macroId: gone.id })).rejects.toMatchObject({ code: "validation_error" });
  });

  it("a macro without a status leaves the automatic move of a reply (waiting on the customer), and may go with an internal note", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const u = await makeUser();
    const tagOnly = await createMacro(admin.actor, { name: "Tag only", body: "x", setStatus: null, addTags: ["follow-up"] });
    const t = await createTicket(u.actor, { subject: "Slow", description: "Speeds are low", category: "technical", priority: "low" });
    await addMessage(agent.actor, t.id, { message: "Checking", isInternal: true, macroId: tagOnly.id });
    let row = await ticketRow(t.id);
    expect([row.status, row.tags, row.firstResponseAt]).toEqual(["open", ["follow-up"], null]);
    await addMessage(agent.actor, t.id, { message: "Could you run a speed test?", isInternal: false, macroId: tagOnly.id });
    row = await ticketRow(t.id);
    expect([row.status, row.tags]).toEqual(["waiting_user", ["follow-up"]]);
    expect(row.slaPausedAt).not.toBeNull();
  });
});
