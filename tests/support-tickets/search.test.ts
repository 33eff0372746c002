// Full-text search over tickets (GET /api/support/tickets?q=): staff search
// every ticket, its request, its replies and its internal notes; a requester
// searches their own tickets only and never an internal note, neither to
// match nor in a highlight. Ranked, highlighted (escaped HTML with <mark>),
// paged by rank.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import { listTickets } from "@/lib/services/support";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

/** A made-up word no other ticket of the suite holds (letters only: the parser keeps it one token). */
const word = () => `zq${randomBytes(6).toString("hex").replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]!)}`;

async function ticket(token: string, subject: string, description: string) {
  const r = await call(ticketsRoute.POST, { token, body: { subject, description, category: "technical", priority: "medium" } });
  expect(r.status).toBe(201);
  return r.json.id as string;
}

async function reply(token: string, id: string, message: string, isInternal = false) {
  const r = await call(messagesRoute.POST, { token, params: { id }, body: { message, isInternal } });
  expect(r.status).toBe(201);
}

const search = (token: string, q: string, extra = "") =>
  call(ticketsRoute.GET, { token, path: `/api/support/tickets?q=${encodeURIComponent(q)}${extra}` });

describe("ticket search", () => {
  it("staff find a ticket by its subject, its request, a reply or an internal note; best match first, highlighted", async () => {
    const user = await makeUser();
    const agent = await makeUser("agent");
    const w = word();
    const inSubject = await ticket(user.token, `Handshake ${w} fails`, "Nothing else to say");
    const inRequest = await ticket(user.token, "Slow connection", `Since yesterday the ${w} stopped working`);
    const inReply = await ticket(user.token, "Billing question", "Charged twice");
    await reply(agent.token, inReply, `Please check the ${w} setting`);
    const inNote = await ticket(user.token, "Account locked", "Cannot sign in");
    await reply(agent.token, inNote, `Internal: ${w} flagged by fraud`, true);
    const other = await ticket(user.token, "Unrelated", "No match here");

    const r = await search(agent.token, w);
    expect(r.status).toBe(200);
    const ids = r.json.items.map((t: { id: string }) => t.id);
    expect(new Set(ids)).toEqual(new Set([inSubject, inRequest, inReply, inNote]));
    expect(ids).not.toContain(other);
    // The subject weighs most.
    expect(ids[0]).toBe(inSubject);
    const byId = new Map(r.json.items.map((t: { id: string; highlight: string | null }) => [t.id, t.highlight]));
    expect(byId.get(inSubject)).toContain(`<mark>${w}</mark>`);
    expect(byId.get(inReply)).toContain(`<mark>${w}</mark>`);
    expect(byId.get(inNote)).toContain(`<mark>${w}</mark>`);
    // Queue fields come along, as in the unfiltered list.
    expect(r.json.items[0]).toMatchObject({ requester: { id: user.id }, ticketNumber: expect.stringMatching(/^TKT-/) });
  });

  it("a requester finds only their own tickets and never through an internal note", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const agent = await makeUser("agent");
    const w = word();
    const secret = word();
    const mine = await ticket(alice.token, `Router ${w}`, "Please help");
    await reply(agent.token, mine, `Internal: ${secret} — do not tell the customer`, true);
    await reply(agent.token, mine, `Public answer about ${w}`);
    const theirs = await ticket(bob.token, `Router ${w} too`, "Same here");

    const own = await search(alice.token, w);
    expect(own.status).toBe(200);
    expect(own.json.items.map((t: { id: string }) => t.id)).toEqual([mine]);
    expect(JSON.stringify(own.json)).not.toContain(secret);

    // The note's word finds nothing for the requester, everything for staff.
    expect((await search(alice.token, secret)).json.items).toEqual([]);
    expect((await search(agent.token, secret)).json.items.map((t: { id: string }) => t.id)).toEqual([mine]);
    // Bob sees his own only.
    expect((await search(bob.token, w)).json.items.map((t: { id: string }) => t.id)).toEqual([theirs]);
    // And a requester asking for the staff view is still a requester.
    const asStaff = await listTickets(alice.actor, { q: w }, { view: undefined });
    expect(asStaff.items.map((t) => t.id)).toEqual([mine]);
  });

  it("matches word forms, combines with the other filters, and escapes what it highlights", async () => {
    const user = await makeUser();
    const agent = await makeUser("agent");
    const w = word();
    const a = await ticket(user.token, `<img src=x onerror=alert(1)> routers ${w}`, "Routing trouble");
    const b = await ticket(user.token, `Closed one about routers ${w}`, "Old");
    await call((await import("@/app/api/support/tickets/[id]/route")).PATCH, { token: agent.token, params: { id: b }, body: { status: "resolved" }, method: "PATCH" });

    const stem = await search(agent.token, `router ${w}`);
    expect(new Set(stem.json.items.map((t: { id: string }) => t.id))).toEqual(new Set([a, b]));
    const hl = stem.json.items.find((t: { id: string }) => t.id === a).highlight as string;
    // Nothing but <mark> is markup: whatever the subject held arrives escaped.
    expect(hl.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    expect(hl).not.toContain("<img");
    expect(hl).toMatch(/<mark>routers<\/mark>/);

    const onlyResolved = await search(agent.token, w, "&status=resolved");
    expect(onlyResolved.json.items.map((t: { id: string }) => t.id)).toEqual([b]);
    // A phrase and an exclusion, as people type them.
    expect((await search(agent.token, `${w} -closed`)).json.items.map((t: { id: string }) => t.id)).toEqual([a]);
  });

  it("pages through the matches by rank without repeating or skipping, and refuses a forged cursor", async () => {
    const user = await makeUser();
    const agent = await makeUser("agent");
    const w = word();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await ticket(user.token, i % 2 ? `About ${w}` : `Question`, `Detail ${i} ${i > 2 ? w : ""} ${w}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const r: Awaited<ReturnType<typeof search>> = await search(agent.token, w, `&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.json.items.map((t: { id: string }) => t.id));
      cursor = r.json.nextCursor;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual([...ids].sort());
    const forged = await search(agent.token, w, `&cursor=${Buffer.from("rank|x|'; drop table users").toString("base64url")}`);
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe("validation_error");
  });

  it("blank words, stop words and control characters search nothing and fail nothing; a NUL byte is a clear 400", async () => {
    const agent = await makeUser("agent");
    expect((await search(agent.token, "   ")).status).toBe(200);
    const stop = await search(agent.token, "the and of");
    expect(stop.status).toBe(200);
    expect(stop.json.items).toEqual([]);
    const control = await search(agent.token, "router\u0001\u001f");
    expect(control.status).toBe(200);
    // A NUL byte is refused in any value at every door (lib/validation/nul-bytes.ts), search text included.
    const nul = await search(agent.token, "router\u0000");
    expect(nul.status).toBe(400);
    expect(nul.json.error.code).toBe("validation_error");
    expect((await search(agent.token, "x".repeat(500))).status).toBe(400);
  });
});
