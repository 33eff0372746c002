import { describe, expect, it, beforeAll } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { createPeer } from "@/lib/services/peers";
import { createTicket } from "@/lib/services/support";
import { parseWgDump } from "@/lib/wireguard/dump";
import * as peers from "@/app/api/vpn/peers/route";
import * as rotate from "@/app/api/vpn/peers/[id]/rotate/route";
import * as expiry from "@/app/api/vpn/peers/[id]/expiry/route";
import * as tickets from "@/app/api/support/tickets/route";
import * as ticket from "@/app/api/support/tickets/[id]/route";
import * as messages from "@/app/api/support/tickets/[id]/messages/route";
import * as rating from "@/app/api/support/tickets/[id]/rating/route";
import * as status from "@/app/api/admin/users/[id]/status/route";
import * as plan from "@/app/api/admin/users/[id]/plan/route";
import * as resolve from "@/app/api/admin/abuse/[id]/resolve/route";
import * as abuseList from "@/app/api/admin/abuse/route";
import * as analytics from "@/app/api/analytics/me/route";
import * as agentStats from "@/app/api/agent/stats/route";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

/**
 * Property-based: whatever JSON body or query string arrives, a rejected
 * request answers 4xx with API.md's error shape and leaves the database as it
 * was. (A body that happens to be valid may succeed; then nothing is checked
 * beyond "not a 5xx".)
 */
async function fingerprint(): Promise<string> {
  const db = await getDb();
  const [r] = await rows<Record<string, number>>(
    db,
    sql`select (select count(*) from users) u, (select count(*) from wireguard_peers) p, (select coalesce(sum(key_version), 0) from wireguard_peers) kv,
          (select count(*) from support_tickets) t, (select count(*) from ticket_messages) m, (select count(*) from traffic_samples) s,
          (select count(*) from subscriptions where status <> 'cancelled') subs, (select string_agg(status || coalesce(plan_id, ''), ',' order by id) from subscriptions) sp,
          (select string_agg(status, ',' order by id) from users) us, (select count(*) from abuse_detection_logs) a,
          (select string_agg(coalesce(expires_at::text, '-'), ',' order by id) from wireguard_peers) ex,
          (select string_agg(status || priority || coalesce(user_rating::text, ''), ',' order by id) from support_tickets) ts`,
  );
  return JSON.stringify(r);
}

const json = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.record({ serverId: fc.string(), deviceName: fc.string(), deviceType: fc.string(), publicKey: fc.string() }, { requiredKeys: [] }),
  fc.record({ subject: fc.string(), description: fc.string(), category: fc.string(), priority: fc.string() }, { requiredKeys: [] }),
  fc.record({ status: fc.string(), reason: fc.string(), planId: fc.string(), note: fc.string(), rating: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
  fc.record({ message: fc.oneof(fc.string(), fc.integer()), isInternal: fc.anything(), expiresAt: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }, { requiredKeys: [] }),
);

describe("bad input changes nothing", () => {
  let ctx: { user: Awaited<ReturnType<typeof makeUser>>; admin: Awaited<ReturnType<typeof makeUser>>; peerId: string; ticketId: string; agentToken: string };
  beforeAll(async () => {
    const server = await makeServer();
    const user = await makeUser();
    const admin = await makeUser("admin");
    const peerId = (await createPeer(user.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" })).id;
    const ticketId = (await createTicket(user.actor, { subject: "Help", description: "Please", category: "technical", priority: "low" })).id;
    ctx = { user, admin, peerId, ticketId, agentToken: server.agentToken };
  });

  const cases = () => [
    { name: "POST /api/vpn/peers", h: peers.POST, token: ctx.user.token, params: {} },
    { name: "POST /api/vpn/peers/:id/rotate", h: rotate.POST, token: ctx.user.token, params: { id: ctx.peerId } },
    { name: "PATCH /api/vpn/peers/:id/expiry", h: expiry.PATCH, token: ctx.user.token, params: { id: ctx.peerId }, method: "PATCH" },
    { name: "POST /api/support/tickets", h: tickets.POST, token: ctx.user.token, params: {} },
    { name: "PATCH /api/support/tickets/:id", h: ticket.PATCH, token: ctx.user.token, params: { id: ctx.ticketId }, method: "PATCH" },
    { name: "POST /api/support/tickets/:id/messages", h: messages.POST, token: ctx.user.token, params: { id: ctx.ticketId } },
    { name: "POST /api/support/tickets/:id/rating", h: rating.POST, token: ctx.user.token, params: { id: ctx.ticketId } },
    { name: "POST /api/admin/users/:id/status", h: status.POST, token: ctx.admin.token, params: { id: ctx.user.id } },
    { name: "POST /api/admin/users/:id/plan", h: plan.POST, token: ctx.admin.token, params: { id: ctx.user.id } },
    { name: "POST /api/admin/abuse/:id/resolve", h: resolve.POST, token: ctx.admin.token, params: { id: "00000000-0000-0000-0000-000000000000" } },
  ];

  it("JSON bodies", { timeout: 240_000 }, async () => {
    for (const c of cases()) {
      await fc.assert(
        fc.asyncProperty(json, async (body) => {
          const before = await fingerprint();
          const res = await call(c.h as never, { method: c.method ?? "POST", token: c.token, params: c.params as Record<string, string>, rawBody: JSON.stringify(body) ?? "null", headers: { "content-type": "application/json" } });
          expect(res.status, `${c.name} ${JSON.stringify(body)} → ${res.status} ${res.text}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.json?.error?.code, `${c.name}: ${res.text}`).toEqual(expect.any(String));
            expect(res.json.error.message).toEqual(expect.any(String));
            expect(await fingerprint(), `${c.name} changed the database on ${res.status}`).toBe(before);
          }
        }),
        { numRuns: 25 },
      );
    }
  });

  it("bodies that are not JSON at all", async () => {
    for (const c of cases()) {
      await fc.assert(
        fc.asyncProperty(fc.string(), async (text) => {
          fc.pre(text !== "" && !/^\s*[[{"\d\-tfn]/.test(text)); // not accidentally JSON; an empty body means "no options"
          const before = await fingerprint();
          const res = await call(c.h as never, { method: c.method ?? "POST", token: c.token, params: c.params as Record<string, string>, rawBody: text, headers: { "content-type": "application/json" } });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(await fingerprint()).toBe(before);
        }),
        { numRuns: 10 },
      );
    }
  });

  it("query strings", async () => {
    const queryArb = fc.dictionary(fc.constantFrom("status", "priority", "category", "assignedTo", "limit", "cursor", "type", "severity", "days"), fc.string(), { maxKeys: 4 });
    for (const [name, h, token] of [
      ["GET /api/support/tickets", tickets.GET, () => ctx.user.token],
      ["GET /api/admin/abuse", abuseList.GET, () => ctx.admin.token],
      ["GET /api/analytics/me", analytics.GET, () => ctx.user.token],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(queryArb, async (q) => {
          const res = await call(h as never, { token: token(), path: `/api/x?${new URLSearchParams(q)}` });
          expect(res.status, `${name}?${new URLSearchParams(q)} → ${res.text}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.json.error.code).toBe("validation_error");
        }),
        { numRuns: 30 },
      );
    }
  });

  it("wg dumps: the parser never throws, and a rejected push changes nothing", async () => {
    const line = fc.array(fc.oneof(fc.string(), fc.constantFrom("(none)", "off", "0", "51820", "10.0.0.1/32")), { maxLength: 9 }).map((f) => f.join("\t"));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 5 }), async (lines) => {
        const text = lines.join("\n");
        const parsed = parseWgDump(text);
        if (parsed.ok) return;
        expect(parsed.line).toBeGreaterThanOrEqual(1);
        const before = await fingerprint();
        const res = await call(agentStats.POST as never, { token: ctx.agentToken, rawBody: text, headers: { "content-type": "text/plain" } });
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe("validation_error");
        expect(await fingerprint()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });
});
