import { describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { and, eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { auditLog, userSessions } from "@/db/schema";
import { handlers } from "@/lib/auth/auth";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { authenticateSession, readSessionClaims, sessionFromHeaders } from "@/lib/dal/sessions";
import { endUserSessions, newSessionId, pruneSessions, SESSION_KEEP_DAYS, startSession } from "@/lib/services/sessions";
import { setAccountStatus } from "@/lib/services/accounts";
import { isId } from "@/lib/validation/ids";
import { clientIp } from "@/lib/http/client-ip";
import { GET as me } from "@/app/api/me/route";
import { GET as listSessions } from "@/app/api/me/sessions/route";
import { DELETE as revokeOne } from "@/app/api/me/sessions/[id]/route";
import { POST as revokeAll } from "@/app/api/me/sessions/revoke-all/route";
import { deviceName } from "@/app/(app)/settings/_components/device-name";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

// Pages and actions read the request's headers through next/headers: here, the headers a test sets.
const page = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => page.headers }));

const COOKIE = "authjs.session-token";
const ORIGIN = "http://localhost:3000";
const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/** The cookie a browser holds after signing in: a JWT naming the user and (since sessions are recorded) its session. */
async function cookieFor(userId: string, sid?: string): Promise<string> {
  const token = await encode({ token: { sub: userId, ...(sid ? { sid } : {}) }, secret: getRuntimeSecrets().authSecret, salt: COOKIE });
  return `${COOKIE}=${token}`;
}

/** A signed-in browser: its session record and its cookie. */
async function signedIn(userId: string, userAgent: string | null = CHROME_LINUX, ip = "203.0.113.10") {
  const sid = await startSession(userId, { userAgent, ip });
  return { sid, cookie: await cookieFor(userId, sid) };
}

/** Cookie-authenticated requests that change state come from the app's own pages. */
const fromApp = (cookie: string) => ({ cookie, origin: ORIGIN, host: "localhost:3000" });

async function row(sid: string) {
  const db = await getDb();
  const [r] = await db.select().from(userSessions).where(eq(userSessions.id, sid));
  return r!;
}

async function ageSession(sid: string, interval: string) {
  const db = await getDb();
  await db.update(userSessions).set({ lastSeenAt: sql`now() - ${sql.raw(`interval '${interval}'`)}` }).where(eq(userSessions.id, sid));
}

const authJsHeaders = (userAgent = CHROME_LINUX) => new Headers({ "user-agent": userAgent, "x-forwarded-for": "198.51.100.23" });

/** Auth.js's own endpoints, called the way a browser does (CSRF cookie and token first). */
async function authJs(method: "GET" | "POST", path: string, opts: { cookie?: string; form?: Record<string, string>; userAgent?: string } = {}) {
  const headers = authJsHeaders(opts.userAgent);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.form) headers.set("content-type", "application/x-www-form-urlencoded");
  const req = new NextRequest(new URL(path, ORIGIN), { method, headers, body: opts.form ? new URLSearchParams(opts.form).toString() : undefined });
  return handlers[method](req);
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

async function signInThroughAuthJs(email: string, password: string) {
  const csrf = await authJs("GET", "/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookiesOf(csrf).join("; ");
  const res = await authJs("POST", "/api/auth/callback/credentials", { cookie: csrfCookie, form: { csrfToken, email, password } });
  const session = cookiesOf(res).find((c) => c.startsWith(`${COOKIE}=`) && c.length > COOKIE.length + 1);
  return { session, csrfCookie, csrfToken };
}

describe("session records", () => {
  it("signing in creates a record whose id the cookie carries", async () => {
    const u = await makeUser();
    const { session } = await signInThroughAuthJs(u.email, u.password);
    expect(session, "Auth.js set a session cookie").toBeTruthy();
    const claims = await readSessionClaims(new Headers({ cookie: session! }));
    expect(claims?.userId).toBe(u.id);
    expect(isId(claims?.sessionId)).toBe(true);
    expect(claims!.sessionId!).toHaveLength(43);
    const r = await row(claims!.sessionId!);
    // The address as lib/http/client-ip decides it for that request (TRUSTED_PROXIES).
    expect(r).toMatchObject({ userId: u.id, userAgent: CHROME_LINUX, ip: clientIp(authJsHeaders()), endedAt: null });
    expect((await sessionFromHeaders(new Headers({ cookie: session! })))?.actor.id).toBe(u.id);
    expect((await call(me, { headers: { cookie: session! } })).status).toBe(200);
  });

  it("a failed sign-in creates no record", async () => {
    const u = await makeUser();
    const { session } = await signInThroughAuthJs(u.email, "not the password");
    expect(session).toBeUndefined();
    const db = await getDb();
    expect(await db.select().from(userSessions).where(eq(userSessions.userId, u.id))).toEqual([]);
  });

  it("Auth.js's own sign-out endpoint ends the record: the old cookie then opens nothing", async () => {
    const u = await makeUser();
    const { session, csrfCookie, csrfToken } = await signInThroughAuthJs(u.email, u.password);
    const { sessionId } = (await readSessionClaims(new Headers({ cookie: session! })))!;
    const out = await authJs("POST", "/api/auth/signout", { cookie: `${csrfCookie}; ${session}`, form: { csrfToken } });
    expect(out.status).toBe(302);
    expect(await row(sessionId!)).toMatchObject({ endedReason: "signed_out" });
    expect((await call(me, { headers: { cookie: session! } })).status).toBe(401);
    const db = await getDb();
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, "auth.sign_out"), eq(auditLog.targetId, u.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorId).toBe(u.id);
  });

  it("ids are 32 random bytes, and always pass the id check", () => {
    const ids = new Set(Array.from({ length: 2000 }, newSessionId));
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(isId(id)).toBe(true);
      expect(Buffer.from(id, "base64url")).toHaveLength(32);
    }
  });
});

describe("the shared check (authenticateSession)", () => {
  it("refuses a session that was ended, on both doors", async () => {
    const u = await makeUser();
    const { sid, cookie } = await signedIn(u.id);
    expect(await authenticateSession({ userId: u.id, sessionId: sid })).toMatchObject({ sessionId: sid, actor: { id: u.id, role: "user" } });
    const db = await getDb();
    await endUserSessions(db, u.id, { reason: "signed_out" });
    expect(await authenticateSession({ userId: u.id, sessionId: sid })).toBeNull();
    expect(await sessionFromHeaders(new Headers({ cookie }))).toBeNull();
    const res = await call(me, { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthenticated");
  });

  it("pages and actions (getCurrentUser) go through the same check", async () => {
    const { getCurrentUser } = await import("@/lib/auth/session");
    const u = await makeUser();
    const { cookie } = await signedIn(u.id);
    page.headers = new Headers({ cookie });
    expect(await getCurrentUser()).toEqual({ kind: "user", id: u.id, email: u.email, role: "user", status: "active" });
    const db = await getDb();
    await endUserSessions(db, u.id, { reason: "revoked" });
    expect(await getCurrentUser()).toBeNull();
    page.headers = new Headers({ cookie: await cookieFor(u.id) });
    expect(await getCurrentUser()).toBeNull();
  });

  it("refuses a cookie without a session id (issued before sessions were recorded), a forged pairing and an unknown id", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const { sid } = await signedIn(other.id);
    expect((await call(me, { headers: { cookie: await cookieFor(u.id) } })).status).toBe(401);
    expect(await authenticateSession({ userId: u.id, sessionId: null })).toBeNull();
    expect(await authenticateSession({ userId: u.id, sessionId: sid })).toBeNull();
    expect(await authenticateSession({ userId: u.id, sessionId: newSessionId() })).toBeNull();
    expect(await authenticateSession({ userId: u.id, sessionId: "x".repeat(5000) })).toBeNull();
  });

  it("refuses a session idle for more than 30 days", async () => {
    const u = await makeUser();
    const { sid, cookie } = await signedIn(u.id);
    await ageSession(sid, "29 days 23 hours");
    expect(await authenticateSession({ userId: u.id, sessionId: sid })).not.toBeNull();
    await ageSession(sid, "30 days 1 minute");
    expect(await authenticateSession({ userId: u.id, sessionId: sid })).toBeNull();
    expect((await call(me, { headers: { cookie } })).status).toBe(401);
    expect((await call(listSessions, { token: u.token })).json.items).toEqual([]);
  });

  it("updates last_seen_at at most once every five minutes", async () => {
    const u = await makeUser();
    const { sid } = await signedIn(u.id);
    await ageSession(sid, "2 minutes");
    const before = (await row(sid)).lastSeenAt;
    for (let i = 0; i < 5; i++) await authenticateSession({ userId: u.id, sessionId: sid });
    expect((await row(sid)).lastSeenAt).toEqual(before);

    await ageSession(sid, "6 minutes");
    const stale = (await row(sid)).lastSeenAt;
    await authenticateSession({ userId: u.id, sessionId: sid });
    const touched = (await row(sid)).lastSeenAt;
    expect(touched.getTime()).toBeGreaterThan(stale.getTime() + 5 * 60_000);
    await authenticateSession({ userId: u.id, sessionId: sid });
    expect((await row(sid)).lastSeenAt).toEqual(touched);
  });

  it("a ban ends every session of the account in the same change; a suspension does not", async () => {
    const admin = await makeUser("admin");
    const u = await makeUser();
    const a = await signedIn(u.id);
    const b = await signedIn(u.id, "curl/8.5.0");
    const bystander = await signedIn(admin.id);

    await setAccountStatus(admin.actor, u.id, "suspended", "checking");
    expect(await authenticateSession({ userId: u.id, sessionId: a.sid })).not.toBeNull();

    await setAccountStatus(admin.actor, u.id, "banned", "abuse");
    for (const s of [a, b]) {
      expect(await row(s.sid)).toMatchObject({ endedReason: "banned" });
      expect((await call(me, { headers: { cookie: s.cookie } })).status).toBe(401);
    }
    // Lifting the ban does not bring the old sessions back.
    await setAccountStatus(admin.actor, u.id, "active", "appeal");
    expect(await authenticateSession({ userId: u.id, sessionId: a.sid })).toBeNull();
    expect(await authenticateSession({ userId: admin.id, sessionId: bystander.sid })).not.toBeNull();
  });
});

describe("GET/DELETE /api/me/sessions, POST /api/me/sessions/revoke-all", () => {
  it("lists the caller's open sessions, newest first, marking the current one", async () => {
    const u = await makeUser();
    const older = await signedIn(u.id, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "192.0.2.1");
    await ageSession(older.sid, "1 hour");
    const db = await getDb();
    await db.update(userSessions).set({ createdAt: sql`now() - interval '2 hours'` }).where(eq(userSessions.id, older.sid));
    const current = await signedIn(u.id);
    const ended = await signedIn(u.id);
    await call(revokeOne, { method: "DELETE", params: { id: ended.sid }, token: u.token });
    await signedIn((await makeUser()).id);

    const res = await call(listSessions, { headers: { cookie: current.cookie } });
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      { id: current.sid, current: true, userAgent: CHROME_LINUX, ip: "203.0.113.10", createdAt: expect.any(String), lastSeenAt: expect.any(String) },
      { id: older.sid, current: false, userAgent: expect.stringContaining("iPhone"), ip: "192.0.2.1", createdAt: expect.any(String), lastSeenAt: expect.any(String) },
    ]);
    expect(Date.parse(res.json.items[1].lastSeenAt)).toBeLessThan(Date.now() - 50 * 60_000);

    // With a personal token there is no current session, even if a cookie comes along.
    const byToken = await call(listSessions, { token: u.token, headers: { cookie: current.cookie } });
    expect(byToken.json.items.map((i: { current: boolean }) => i.current)).toEqual([false, false]);
  });

  it("signs one session out: only the caller's own, anything else is 404", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const mine = await signedIn(u.id);
    const second = await signedIn(u.id);
    const theirs = await signedIn(other.id);

    for (const id of [theirs.sid, newSessionId(), "not a plausible id", "a".repeat(500), "x\u0000y", "../../etc"]) {
      const res = await call(revokeOne, { method: "DELETE", params: { id }, headers: fromApp(mine.cookie) });
      expect(res.status, id).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
    expect(await authenticateSession({ userId: other.id, sessionId: theirs.sid })).not.toBeNull();

    const res = await call(revokeOne, { method: "DELETE", params: { id: second.sid }, headers: fromApp(mine.cookie) });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await row(second.sid)).toMatchObject({ endedReason: "revoked" });
    expect((await call(me, { headers: { cookie: second.cookie } })).status).toBe(401);
    expect((await call(me, { headers: { cookie: mine.cookie } })).status).toBe(200);
    // Already ended: gone from the list, so 404 too.
    expect((await call(revokeOne, { method: "DELETE", params: { id: second.sid }, headers: fromApp(mine.cookie) })).status).toBe(404);

    const db = await getDb();
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, "session.revoked"), eq(auditLog.actorId, u.id)));
    expect(audits.map((a) => a.targetId)).toEqual([second.sid]);
  });

  it("revoke-all ends every other session and keeps the current one", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const current = await signedIn(u.id);
    const rest = [await signedIn(u.id), await signedIn(u.id, null)];
    const theirs = await signedIn(other.id);

    const res = await call(revokeAll, { method: "POST", headers: fromApp(current.cookie) });
    expect(res.status).toBe(204);
    expect((await call(me, { headers: { cookie: current.cookie } })).status).toBe(200);
    for (const s of rest) {
      expect(await row(s.sid)).toMatchObject({ endedReason: "revoked_all" });
      expect((await call(me, { headers: { cookie: s.cookie } })).status).toBe(401);
    }
    expect(await authenticateSession({ userId: other.id, sessionId: theirs.sid })).not.toBeNull();
    expect((await call(listSessions, { headers: { cookie: current.cookie } })).json.items.map((i: { id: string }) => i.id)).toEqual([current.sid]);

    const db = await getDb();
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "session.revoked_all"), eq(auditLog.actorId, u.id)));
    expect(audit!.metadata).toEqual({ ended: 2, keptCurrent: true });
  });

  it("revoke-all with a personal token ends every session (none is current)", async () => {
    const u = await makeUser();
    const a = await signedIn(u.id);
    const res = await call(revokeAll, { method: "POST", token: u.token });
    expect(res.status).toBe(204);
    expect((await call(me, { headers: { cookie: a.cookie } })).status).toBe(401);
    expect((await call(me, { token: u.token })).status).toBe(200);
  });

  it("endUserSessions ends all but one, with a reason, and says how many", async () => {
    const u = await makeUser();
    const [keep, a, b] = [await signedIn(u.id), await signedIn(u.id), await signedIn(u.id)];
    const db = await getDb();
    expect(await db.transaction((tx) => endUserSessions(tx, u.id, { reason: "password_changed", except: keep.sid }))).toBe(2);
    expect((await row(a.sid)).endedReason).toBe("password_changed");
    expect((await row(b.sid)).endedReason).toBe("password_changed");
    expect((await row(keep.sid)).endedAt).toBeNull();
    expect(await endUserSessions(db, u.id, { reason: "password_reset" })).toBe(1);
    expect(await endUserSessions(db, u.id, { reason: "password_reset" })).toBe(0);
  });
});

describe("housekeeping", () => {
  it("deletes sessions ended or idle longer than the keep period, and only those", async () => {
    const u = await makeUser();
    const db = await getDb();
    const old = new Date(Date.now() - (SESSION_KEEP_DAYS + 1) * 86_400_000);
    const [ended, idle, recent, open] = await Promise.all([0, 1, 2, 3].map(() => startSession(u.id, { userAgent: null, ip: null })));
    await db.update(userSessions).set({ endedAt: old, endedReason: "signed_out" }).where(eq(userSessions.id, ended!));
    await db.update(userSessions).set({ lastSeenAt: old }).where(eq(userSessions.id, idle!));
    await db.update(userSessions).set({ endedAt: new Date(), endedReason: "signed_out" }).where(eq(userSessions.id, recent!));
    expect(await pruneSessions()).toBe(2);
    const left = await db.select({ id: userSessions.id }).from(userSessions).where(eq(userSessions.userId, u.id));
    expect(left.map((r) => r.id).sort()).toEqual([recent!, open!].sort());
  });
});

describe("deviceName", () => {
  const cases: [string | null, string][] = [
    [CHROME_LINUX, "Chrome on Linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome on Linux"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome on iPhone"],
    ["Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15", "Firefox on iPad"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68", "Edge on Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Windows"],
    ["Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera on Windows"],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS"],
    ["curl/8.5.0", "curl"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) SomethingNew/1.0", "A browser on Windows"],
    ["totally unknown", "Unknown device"],
    ["", "Unknown device"],
    [null, "Unknown device"],
  ];
  for (const [ua, expected] of cases) {
    it(`${JSON.stringify(ua?.slice(0, 60) ?? null)} → ${expected}`, () => expect(deviceName(ua)).toBe(expected));
  }
});

describe("verified cookies kept in memory", () => {
  it("a cookie read again still answers to the database: once its session ends, it is refused", async () => {
    const u = await makeUser();
    const { sid, cookie } = await signedIn(u.id);
    const headers = new Headers({ cookie });
    expect(await readSessionClaims(headers)).toEqual({ userId: u.id, sessionId: sid });
    expect((await sessionFromHeaders(headers))?.actor.id).toBe(u.id);
    await endUserSessions(await getDb(), u.id, { reason: "revoked" });
    // Same cookie text: its claims come from memory, the session check does not.
    expect(await readSessionClaims(headers)).toEqual({ userId: u.id, sessionId: sid });
    expect(await sessionFromHeaders(headers)).toBeNull();
  });

  it("a remembered cookie past its expiry is not accepted, and a forged one never is", async () => {
    const u = await makeUser();
    const sid = await startSession(u.id, { userAgent: CHROME_LINUX, ip: "203.0.113.10" });
    const token = await encode({ token: { sub: u.id, sid }, secret: getRuntimeSecrets().authSecret, salt: COOKIE, maxAge: 60 });
    const headers = new Headers({ cookie: `${COOKIE}=${token}` });
    expect((await sessionFromHeaders(headers))?.actor.id).toBe(u.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 120_000);
      expect(await readSessionClaims(headers)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    const forged = new Headers({ cookie: `${COOKIE}=${token.slice(0, -4)}AAAA` });
    expect(await readSessionClaims(forged)).toBeNull();
  });
});
