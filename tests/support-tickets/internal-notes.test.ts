import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as ticketRoute from "@/app/api/support/tickets/[id]/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import * as attachmentRoute from "@/app/api/support/tickets/[id]/attachments/[attachmentId]/route";
import { getTicket, listTickets } from "@/lib/services/support";
import { listTicketMessages } from "@/lib/dal/tickets";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { PNG_BYTES } from "./helpers/files";
import { callMultipart, outboxTo, useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const SECRET = "INTERNAL-ONLY: customer is on the legacy plan, do not refund";

/** A ticket with a public reply and an internal note (with a file), through the API as clients use it. */
async function conversation() {
  const user = await makeUser();
  const agent = await makeUser("agent");
  const created = await call(ticketsRoute.POST, { token: user.token, body: { subject: "Refund please", description: "I was charged twice", category: "billing", priority: "medium" } });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const note = await callMultipart(messagesRoute.POST, {
    token: agent.token,
    params: { id },
    fields: { message: SECRET, isInternal: "true" },
    files: [{ name: "internal-evidence.png", type: "image/png", bytes: PNG_BYTES }],
  });
  expect(note.status).toBe(201);
  expect(note.json).toMatchObject({ isInternal: true });
  const reply = await call(messagesRoute.POST, { token: agent.token, params: { id }, body: { message: "We are refunding the second charge." } });
  expect(reply.status).toBe(201);
  return { user, agent, id, noteAttachment: note.json.attachments[0] as { id: string; url: string } };
}

describe("internal notes never reach the requester", () => {
  it("DAL: the requester view leaves them out, the staff view has them", async () => {
    const { id } = await conversation();
    const db = await getDb();
    const forRequester = await listTicketMessages(db, id, "requester", null);
    const forStaff = await listTicketMessages(db, id, "staff", null);
    expect(forRequester.map((m) => m.message)).toEqual(["We are refunding the second charge."]);
    expect(forStaff.map((m) => m.message)).toContain(SECRET);
  });

  it("services: a non-staff actor gets the requester view whatever it asks for", async () => {
    const { user, agent, id } = await conversation();
    expect(JSON.stringify(await getTicket(user.actor, id))).not.toContain(SECRET);
    await expect(getTicket(user.actor, id, { view: "staff" })).rejects.toMatchObject({ status: 403 });
    await expect(listTickets(user.actor, {}, { view: "staff" })).rejects.toMatchObject({ status: 403 });
    expect(JSON.stringify(await getTicket(agent.actor, id))).toContain(SECRET);
  });

  it("API: the ticket JSON for the requester has no note and no note's file; the note's file is 404 for them", async () => {
    const { user, agent, id, noteAttachment } = await conversation();
    const mine = await call(ticketRoute.GET, { token: user.token, params: { id } });
    expect(mine.status).toBe(200);
    expect(mine.text).not.toContain(SECRET);
    expect(mine.text).not.toContain("internal-evidence");
    expect(mine.json.messages.every((m: { isInternal: boolean }) => !m.isInternal)).toBe(true);

    const staff = await call(ticketRoute.GET, { token: agent.token, params: { id } });
    expect(staff.text).toContain(SECRET);

    const file = await call(attachmentRoute.GET, { token: user.token, params: { id, attachmentId: noteAttachment.id } });
    expect(file.status).toBe(404);
    const staffFile = await call(attachmentRoute.GET, { token: agent.token, params: { id, attachmentId: noteAttachment.id } });
    expect(staffFile.status).toBe(200);
  });

  it("email: the requester is mailed the reply, never the note", async () => {
    const { user, id } = await conversation();
    const mails = await outboxTo(user.email);
    expect(mails.map((m) => m.template).sort()).toEqual(["ticket_created", "ticket_reply"]);
    for (const m of mails) {
      expect(`${m.subject}${m.html}${m.text}`).not.toContain(SECRET);
      expect(m.html).not.toContain("internal-evidence");
    }
    expect(mails.find((m) => m.template === "ticket_reply")!.text).toContain("We are refunding the second charge.");
    // And no email anywhere carries the note.
    for (const m of await outboxTo()) expect(`${m.subject}${m.html}${m.text}`).not.toContain(SECRET);
    expect(id).toBeTruthy();
  });

  it("a user cannot write one: isInternal from a non-staff account is 403", async () => {
    const user = await makeUser();
    const created = await call(ticketsRoute.POST, { token: user.token, body: { subject: "Q", description: "D", category: "other", priority: "low" } });
    const res = await call(messagesRoute.POST, { token: user.token, params: { id: created.json.id }, body: { message: "sneaky", isInternal: true } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });
});
