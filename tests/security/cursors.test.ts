import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listUsersForAdmin } from "@/lib/dal/admin-users";
import { listOutbox } from "@/lib/dal/outbox";
import { listAuditLog } from "@/lib/dal/audit";
import { listRunsPage } from "@/lib/jobs/run-list";
import { decodeCursor, encodeCursor, type CursorPart } from "@/lib/dal/keyset-cursor";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as myPlanRequests from "@/app/api/me/plan/requests/route";
import * as adminPlanRequests from "@/app/api/admin/plan-requests/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

/**
 * A list cursor is a string from outside like any other: whatever a client
 * sends as `?cursor=`, the answer is a page or a 400 `validation_error` on
 * `cursor`, never a database error. "1" is a date to JavaScript (2001) and
 * not to PostgreSQL; "2024-02-30" is March 1st to JavaScript and an error to
 * PostgreSQL, as is year 0; PostgreSQL refuses a NUL byte in any text.
 */
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const shown = (cursor: string) => JSON.stringify(Buffer.from(cursor, "base64url").toString("utf8").slice(0, 40));

/** Cursors every list must refuse with 400. */
const REFUSED = ["\u0000", "1", "x", b64("\u0000\u0001\u00ffgarbage\u0000")];

/** Cursors shaped like one list's or another's, each with a part PostgreSQL would refuse: a page (where valid for that list) or a 400, never a 500. */
const FORGED = [
  b64("1|abc"),
  b64("0|1|abc"),
  b64("1|1|abc"),
  b64("2024-02-30T00:00:00.000000Z|abc"),
  b64("0|2024-02-30T00:00:00.000000Z|abc"),
  b64("0000-01-01T00:00:00.000000Z|abc"),
  b64("0|0000-01-01T00:00:00.000000Z|abc"),
  b64("2024-01-01T00:00:00.000000Z|ab\u0000c"),
  b64("0|2024-01-01T00:00:00.000000Z|ab\u0000c"),
  b64("ab\u0000c|abc"),
  b64("m|ab\u0000c"),
  b64("rank|0.5|ab\u0000c"),
  b64("sla|1|abc"),
  b64("new|1|abc"),
  b64(`${"x".repeat(400)}|abc`),
];

/** The tickets list's own cursor shapes with a date PostgreSQL refuses (see the known gap below). */
const TICKET_DATES = [b64("sla|2024-02-30T00:00:00.000000Z|abc"), b64("new|2024-02-30T00:00:00.000000Z|abc"), b64("new|0000-01-01T00:00:00.000000Z|abc")];

/** Every exported zod object of lib/validation that takes a `cursor`. */
async function cursorSchemas(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of fs.readdirSync("lib/validation").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const mod = (await import(/* @vite-ignore */ path.resolve("lib/validation", file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      const shape = (value as { shape?: Record<string, unknown> } | undefined)?.shape;
      if (shape && typeof shape === "object" && "cursor" in shape) names.add(name);
    }
  }
  return names;
}

/** Every route under app/api whose query schema takes a cursor. */
async function cursorRoutes(): Promise<string[]> {
  const schemas = await cursorSchemas();
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        if ([...src.matchAll(/query:\s*(\w+)/g)].some((m) => schemas.has(m[1]!)) || /[?&]cursor=/.test(src)) out.push(p.split(path.sep).join("/"));
      }
    }
  };
  walk("app/api");
  return out.sort();
}

type Ctx = { userId: string; ticketId: string };
type RouteSpec = { params?: (c: Ctx) => Record<string, string>; queries?: string[]; asUser?: boolean };

/** The list routes with a cursor and how to call each (its path params, the queries that take another code path, whether a plain user may call it). */
const CURSOR_ROUTES: Record<string, RouteSpec> = {
  "app/api/admin/abuse/route.ts": {},
  "app/api/admin/peers/route.ts": { queries: ["", "q=phone&"] },
  "app/api/admin/plan-requests/route.ts": { queries: ["", "status=all&"] },
  "app/api/admin/users/[id]/abuse/route.ts": { params: (c) => ({ id: c.userId }) },
  "app/api/support/macros/route.ts": {},
  "app/api/support/tickets/[id]/messages/route.ts": { params: (c) => ({ id: c.ticketId }) },
  "app/api/support/tickets/route.ts": { queries: ["", "q=hello&"], asUser: true },
  "app/api/vpn/peers/route.ts": { asUser: true },
};

/** Calls each route with each cursor, as an admin (and a plain user where one may call it: the orders, and so the cursors, differ); what answered otherwise than a page or a 400 on `cursor`. */
async function probe(routes: Record<string, RouteSpec>, cursors: string[]): Promise<string[]> {
  const admin = await makeUser("admin");
  const user = await makeUser();
  const ticket = await call(ticketsRoute.POST, { token: admin.token, body: { subject: "Hello there", description: "Cursor test", category: "other", priority: "low" } });
  expect(ticket.status).toBe(201);
  const ctx: Ctx = { userId: user.id, ticketId: ticket.json.id };
  const wrong: string[] = [];
  for (const [file, spec] of Object.entries(routes)) {
    const mod = (await import(/* @vite-ignore */ path.resolve(file))) as { GET: Parameters<typeof call>[0] };
    for (const token of spec.asUser ? [admin.token, user.token] : [admin.token]) {
      for (const query of spec.queries ?? [""]) {
        for (const cursor of cursors) {
          const res = await call(mod.GET, { token, params: spec.params?.(ctx), path: `/api/x?${query}cursor=${encodeURIComponent(cursor)}` });
          const details: { path: string }[] = res.json?.error?.details ?? [];
          const refused = res.status === 400 && res.json.error.code === "validation_error" && details.some((d) => d.path === "cursor");
          const leaked = /invalid byte sequence|invalid input syntax|out of range|syntax error|select |stack/i.test(res.text);
          if (leaked || !(refused || (res.status === 200 && !REFUSED.includes(cursor)))) {
            wrong.push(`${res.status} GET ${file}?${query}cursor=${shown(cursor)}${token === user.token ? " (user)" : ""}`);
          }
        }
      }
    }
  }
  return wrong;
}

describe("list cursors are shape-checked before any query sees them", () => {
  it("finds every list route that takes a cursor", async () => {
    expect(await cursorRoutes()).toEqual(Object.keys(CURSOR_ROUTES).sort());
  });

  it("a NUL byte, a bare number, garbage or a forged part answers 400 (or a page), never a database error", async () => {
    expect(await probe(CURSOR_ROUTES, [...REFUSED, ...FORGED])).toEqual([]);
  });

  // The tickets list's cursor names its sort first (["text", "time", "id"]); a date PostgreSQL refuses is still a 400.
  it("the tickets list refuses a date PostgreSQL would refuse, in its own cursor shape", async () => {
    expect(await probe({ "app/api/support/tickets/route.ts": CURSOR_ROUTES["app/api/support/tickets/route.ts"]! }, TICKET_DATES)).toEqual([]);
  });

  it("the lists read by pages only (users, outbox, job runs, audit log) refuse them too, as a validation error", async () => {
    const admin = await makeUser("admin");
    const lists: Record<string, (cursor: string) => Promise<unknown>> = {
      users: (cursor) => listUsersForAdmin(admin.actor, { cursor }),
      outbox: (cursor) => listOutbox(admin.actor, { cursor }),
      runs: (cursor) => listRunsPage({ cursor }),
      audit: (cursor) => listAuditLog(admin.actor, { cursor }),
    };
    const wrong: string[] = [];
    for (const [name, list] of Object.entries(lists)) {
      for (const cursor of [...REFUSED, ...FORGED]) {
        const outcome = await list(cursor).then(
          () => "page",
          (err: { code?: string }) => err.code ?? "error",
        );
        // The audit log's cursor is a row number: "1" is a valid one.
        const allowed = REFUSED.includes(cursor) && !(name === "audit" && cursor === "1") ? ["validation_error"] : ["page", "validation_error"];
        if (!allowed.includes(outcome)) wrong.push(`${name} ${shown(cursor)}: ${outcome}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("one decoder for every list", () => {
  it("reads back what it wrote; refuses a calendar date that does not exist, year 0, control characters and extra parts", () => {
    const at = "2024-02-29T23:59:59.123456Z";
    expect(decodeCursor(encodeCursor([2, at, "abc-1"]), ["int", "time", "id"] as const)).toEqual(["2", at, "abc-1"]);
    expect(decodeCursor(encodeCursor(["a|b name", "abc"]), ["text", "id"] as const)).toEqual(["a|b name", "abc"]);
    const refused: [string, CursorPart[]][] = [
      [encodeCursor(["2024-02-30T00:00:00.000000Z", "abc"]), ["time", "id"]],
      [encodeCursor(["2023-02-29T00:00:00Z", "abc"]), ["time", "id"]],
      [encodeCursor(["0000-01-01T00:00:00.000000Z", "abc"]), ["time", "id"]],
      [encodeCursor(["2024-01-01T24:00:00Z", "abc"]), ["time", "id"]],
      [encodeCursor(["1", "abc"]), ["time", "id"]],
      [encodeCursor(["2024-01-01T00:00:00Z", "abc", "x"]), ["time", "id"]],
      [encodeCursor(["a\u0000b", "abc"]), ["text", "id"]],
      [encodeCursor(["", "abc"]), ["text", "id"]],
      [encodeCursor(["-1", "abc"]), ["int", "id"]],
      [encodeCursor(["1.5", "abc"]), ["int", "id"]],
      ["A".repeat(5000), ["text"]],
    ];
    for (const [cursor, kinds] of refused) {
      expect(() => decodeCursor(cursor, kinds), shown(cursor)).toThrow(expect.objectContaining({ code: "validation_error", details: [{ path: "cursor", message: "Invalid cursor" }] }));
    }
  });

  it("pages through the admin users list and the plan requests with the cursors they hand out", async () => {
    const admin = await makeUser("admin");
    const made = [await makeUser(), await makeUser(), await makeUser()];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listUsersForAdmin>> = await listUsersForAdmin(admin.actor, { cursor, limit: 1 });
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const u of [admin, ...made]) expect(seen).toContain(u.id);

    for (const u of made) expect((await call(myPlanRequests.POST, { token: u.token, body: { planId: "premium" } })).status).toBe(201);
    for (const status of ["pending", "all"]) {
      const ids: string[] = [];
      let next: string | null = null;
      do {
        const res = await call(adminPlanRequests.GET, { token: admin.token, path: `/api/admin/plan-requests?status=${status}&limit=1${next ? `&cursor=${next}` : ""}` });
        expect(res.status).toBe(200);
        ids.push(...res.json.items.map((r: { userId: string }) => r.userId));
        next = res.json.nextCursor;
      } while (next);
      expect(ids.filter((id) => made.some((u) => u.id === id))).toHaveLength(3);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
