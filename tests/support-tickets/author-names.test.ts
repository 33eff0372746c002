import { describe, expect, it } from "vitest";
import { addMessage, createTicket, getTicket, listMessagesPage } from "@/lib/services/support";
import { authorName } from "@/lib/dal/tickets";
import type { MessageDto } from "@/lib/dal/ticket-dto";
import { makeUser } from "../support/factories";

/**
 * The thread calls its reader "You", and only its reader: based on who
 * wrote each message, not on the author's role. A staff member who files a
 * ticket of their own reads their messages as "You"; nobody reads someone
 * else's message as "You"; a message just sent and the same message after a
 * reload (or a live poll) carry the same name.
 */

const names = (messages: MessageDto[]) => messages.map((m) => [m.message, m.author?.name]);
const ticket = { subject: "Cannot connect from the office", description: "The handshake never completes.", category: "vpn_connection", priority: "medium" } as const;

describe("ticket thread author names", () => {
  it("a customer reads their own messages as You and the agent by name; the agent reads their own as You and the customer by name", async () => {
    const user = await makeUser();
    const agent = await makeUser("agent");
    const created = await createTicket(user.actor, ticket);
    const fromUser = await addMessage(user.actor, created.id, { message: "Any news?", isInternal: false });
    const fromAgent = await addMessage(agent.actor, created.id, { message: "Looking at it now.", isInternal: false });
    // What a message answers when sent is what a reload shows.
    expect(fromUser.author?.name).toBe("You");
    expect(fromAgent.author?.name).toBe("You");

    const forUser = await getTicket(user.actor, created.id, { view: "requester" });
    expect(names(forUser.messages)).toEqual([
      ["Any news?", "You"],
      ["Looking at it now.", agent.name],
    ]);
    const forAgent = await getTicket(agent.actor, created.id, { view: "staff" });
    expect(names(forAgent.messages)).toEqual([
      ["Any news?", user.name],
      ["Looking at it now.", "You"],
    ]);
    // The live conversation's pages agree with the page's first render.
    expect(names((await listMessagesPage(user.actor, created.id)).items)).toEqual(names(forUser.messages));
    expect(names((await listMessagesPage(agent.actor, created.id)).items)).toEqual(names(forAgent.messages));
  });

  it("a staff member who filed their own ticket reads their messages as You; a colleague reads them by name", async () => {
    const filer = await makeUser("agent");
    const colleague = await makeUser("agent");
    const created = await createTicket(filer.actor, ticket);
    await addMessage(filer.actor, created.id, { message: "Still broken after a reboot.", isInternal: false });
    await addMessage(colleague.actor, created.id, { message: "Which server are you on?", isInternal: false });

    const own = await getTicket(filer.actor, created.id, { view: "requester" });
    expect(names(own.messages)).toEqual([
      ["Still broken after a reboot.", "You"],
      ["Which server are you on?", colleague.name],
    ]);
    const ownAsStaff = await getTicket(filer.actor, created.id, { view: "staff" });
    expect(names(ownAsStaff.messages)).toEqual(names(own.messages));

    const forColleague = await getTicket(colleague.actor, created.id, { view: "staff" });
    expect(names(forColleague.messages)).toEqual([
      ["Still broken after a reboot.", filer.name],
      ["Which server are you on?", "You"],
    ]);
    expect(names((await listMessagesPage(filer.actor, created.id)).items)).toEqual(names(ownAsStaff.messages));
  });

  it("an admin reading a customer's thread sees no You at all", async () => {
    const user = await makeUser();
    const agent = await makeUser("agent");
    const admin = await makeUser("admin");
    const created = await createTicket(user.actor, ticket);
    await addMessage(user.actor, created.id, { message: "Hello?", isInternal: false });
    await addMessage(agent.actor, created.id, { message: "Hi, on it.", isInternal: false });
    const forAdmin = await getTicket(admin.actor, created.id, { view: "staff" });
    expect(forAdmin.messages.map((m) => m.author?.name)).toEqual([user.name, agent.name]);
  });
});

describe("authorName", () => {
  const person = { id: "u1", name: "Ada Lovelace", email: "ada@example.test" };
  it("is You only for the reader, whatever the role", () => {
    expect(authorName({ ...person, role: "user" }, "requester", "u1")).toBe("You");
    expect(authorName({ ...person, role: "agent" }, "requester", "u1")).toBe("You");
    expect(authorName({ ...person, role: "admin" }, "staff", "u1")).toBe("You");
    expect(authorName({ ...person, role: "user" }, "staff", "someone-else")).toBe("Ada Lovelace");
    expect(authorName({ ...person, role: "user" }, "requester", null)).toBe("Ada Lovelace");
  });
  it("falls back to the email for staff, and to SecureWave support for the requester, when there is no name", () => {
    expect(authorName({ ...person, name: null, role: "user" }, "staff", "x")).toBe("ada@example.test");
    expect(authorName({ ...person, name: null, role: "agent" }, "requester", "x")).toBe("SecureWave support");
  });
});
