import { describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { startSession } from "@/lib/services/sessions";
import { findNul, NUL_MESSAGE } from "@/lib/validation/nul-bytes";
import { listPeersForAdmin } from "@/lib/dal/admin-peers";
import { listUsersForAdmin } from "@/lib/dal/admin-users";
import * as userStatusRoute from "@/app/api/admin/users/[id]/status/route";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as adminPeersRoute from "@/app/api/admin/peers/route";
import * as meRoute from "@/app/api/me/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import { changeAccountStatusAction } from "@/app/admin/users/[id]/actions";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

/**
 * PostgreSQL refuses a NUL byte in any text: a field that takes free text
 * (a reason, a search) would pass it to a query and answer 500. Every door
 * refuses it once, at its boundary, naming the field: route handlers
 * (withApi: JSON and multipart bodies, query strings) and server actions
 * (defineAction). Pages pass search text to data access, which reads
 * control characters as spaces.
 */

// Server actions read the request's headers through next/headers: here, a signed-in browser on the app's own page.
const page = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => page.headers }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const COOKIE = "authjs.session-token";

async function browserOf(userId: string) {
  const sid = await startSession(userId, { userAgent: null, ip: null });
  const token = await encode({
    token: { sub: userId, sid },
    secret: getRuntimeSecrets().authSecret,
    salt: COOKIE,
  });
  page.headers = new Headers({
    cookie: `${COOKIE}=${token}`,
    host: "localhost:3000",
    origin: "http://localhost:3000",
    "x-forwarded-proto": "http",
  });
}

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

const refusedOn = (res: { status: number; json: { error: { code: string; details: unknown } } }, path: string) => {
  expect(res.status).toBe(400);
  expect(res.json.error.code).toBe("validation_error");
  expect(res.json.error.details).toEqual([{ path, message: NUL_MESSAGE }]);
};

async function statusOf(userId: string) {
  const db = await getDb();
  const [row] = await db.select({ status: users.status, reason: users.statusReason }).from(users).where(eq(users.id, userId));
  return row!;
}

describe("a NUL byte is refused at every door, naming the field", () => {
  it("finds it anywhere in a body: nested, in a list, in a key; and survives a deeply nested one", () => {
    expect(findNul({ a: "x", b: [{ c: "ok" }, { c: "n\u0000o" }] })).toBe("b.1.c");
    expect(findNul({ ["ke\u0000y"]: "v" })).toBe("key");
    expect(findNul("\u0000")).toBe("");
    expect(findNul({ a: 1, b: null, c: true, d: ["x"] })).toBeNull();
    const deep = JSON.parse(`${"[".repeat(200_000)}"\\u0000"${"]".repeat(200_000)}`);
    expect(findNul(deep)).toMatch(/^0(\.0)*$/);
  });

  it("route handlers: the admin status reason, a ticket subject, a multipart message, the admin peers search, any query parameter", async () => {
    const admin = await makeUser("admin");
    const u = await makeUser();
    refusedOn(
      await call(userStatusRoute.POST, {
        token: admin.token,
        params: { id: u.id },
        body: { status: "suspended", reason: "spam\u0000ming" },
      }),
      "reason",
    );
    expect(await statusOf(u.id)).toEqual({ status: "active", reason: null });

    refusedOn(
      await call(ticketsRoute.POST, {
        token: u.token,
        body: {
          subject: "Hel\u0000lo",
          description: "Text",
          category: "other",
          priority: "low",
        },
      }),
      "subject",
    );
    const ticket = await call(ticketsRoute.POST, {
      token: u.token,
      body: {
        subject: "Hello",
        description: "Text",
        category: "other",
        priority: "low",
      },
    });
    expect(ticket.status).toBe(201);
    const multipart = new FormData();
    multipart.set("message", "Hi\u0000there");
    const req = new Request("http://localhost:3000/x", {
      method: "POST",
      body: multipart,
    });
    const res = await call(messagesRoute.POST, {
      token: u.token,
      params: { id: ticket.json.id },
      headers: { "content-type": req.headers.get("content-type")! },
      rawBody: await req.text(),
    });
    refusedOn(res, "message");

    refusedOn(
      await call(adminPeersRoute.GET, {
        token: admin.token,
        path: "/api/admin/peers?q=ab%00c",
      }),
      "q",
    );
    refusedOn(await call(meRoute.GET, { token: u.token, path: "/api/me?anything=%00" }), "anything");
    refusedOn(
      await call(adminPeersRoute.GET, {
        token: admin.token,
        path: "/api/admin/peers?q=fine&q=ab%00c",
      }),
      "q",
    );
    expect(
      (
        await call(adminPeersRoute.GET, {
          token: admin.token,
          path: "/api/admin/peers?q=ab",
        })
      ).status,
    ).toBe(200);
  });

  it("server actions: the report page's status reason is that field's error, and an id holding one is not found", async () => {
    const admin = await makeUser("admin");
    const u = await makeUser();
    await browserOf(admin.id);
    const res = await changeAccountStatusAction(null, form({ id: u.id, status: "banned", reason: "abuse\u0000" }));
    expect(res).toMatchObject({
      ok: false,
      fieldErrors: { reason: [NUL_MESSAGE] },
    });
    expect(await statusOf(u.id)).toEqual({ status: "active", reason: null });
    expect(await changeAccountStatusAction(null, form({ id: `${u.id}\u0000`, status: "banned", reason: "abuse" }))).toMatchObject({
      ok: false,
      formError: "This user could not be found.",
    });
    // The same form without it goes through.
    expect(await changeAccountStatusAction(null, form({ id: u.id, status: "banned", reason: "abuse" }))).toMatchObject({ ok: true });
    expect(await statusOf(u.id)).toEqual({ status: "banned", reason: "abuse" });
  });

  it("pages' searches (admin peers and users lists) read control characters as spaces, never a database error", async () => {
    const admin = await makeUser("admin");
    await expect(listPeersForAdmin(admin.actor, { q: "ab\u0000c" })).resolves.toMatchObject({ items: [] });
    await expect(listUsersForAdmin(admin.actor, { q: "nobody\u0000here" })).resolves.toMatchObject({ items: [] });
  });
});
