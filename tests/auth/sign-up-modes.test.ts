import { afterEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getDb } from "@/db/client";
import { emailOutbox, users } from "@/db/schema";
import { parseEnv, resetEnv } from "@/lib/env";
import { createPeer } from "@/lib/services/peers";
import { signUp } from "@/lib/services/accounts";
import { confirmEmailVerification } from "@/lib/services/email-verification";
import { createApiToken } from "@/lib/dal/api-tokens";
import { POST as createPeerRoute } from "@/app/api/vpn/peers/route";
import { POST as resend } from "@/app/api/me/email-verification/route";
import { POST as verifyRoute } from "@/app/api/auth/verify-email/route";
import { signUpAction } from "@/app/(auth)/sign-up/actions";
import { createDeviceAction } from "@/app/(app)/devices/actions";
import type { UserActor } from "@/lib/auth/actor";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";
import { lastEmail, linkToken, signedIn } from "./account-helpers";

/** next/headers outside a request: a browser on the app's own page, and the cookie jar Auth.js's signIn writes to. */
const browser = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name) } : undefined),
    getAll: () => [...browser.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => browser.cookies.has(name),
    set: (name: string, value: string) => void browser.cookies.set(name, value),
    delete: (name: string) => void browser.cookies.delete(name),
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const appPage = (extra: Record<string, string> = {}) =>
  new Headers({ host: "localhost:3000", origin: "http://localhost:3000", "x-forwarded-proto": "http", "user-agent": "vitest", ...extra });

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

async function outcome(p: Promise<unknown>): Promise<{ redirect: string } | { result: unknown }> {
  try {
    return { result: await p };
  } catch (err) {
    if (isRedirectError(err)) return { redirect: err.digest.split(";")[2]! };
    throw err;
  }
}

let n = 0;
const newEmail = () => `signup-${++n}-${Math.random().toString(36).slice(2, 7)}@example.test`;

async function accountOf(email: string) {
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.email, email));
  return u;
}

const actorOf = (u: { id: string; email: string }): UserActor => ({ kind: "user", id: u.id, email: u.email, role: "user", status: "active" });

afterEach(() => {
  resetEnv({ SIGNUP_MODE: undefined });
  browser.cookies.clear();
});

describe("SIGNUP_MODE", () => {
  it("is open unless set; anything but open, verify or closed stops start-up naming it", () => {
    expect(parseEnv({}).SIGNUP_MODE).toBe("open");
    expect(parseEnv({ SIGNUP_MODE: "verify" }).SIGNUP_MODE).toBe("verify");
    expect(() => parseEnv({ SIGNUP_MODE: "invite" })).toThrow(/SIGNUP_MODE: must be open, verify or closed/);
  });

  it("open: today's sign-up, signed in at once; the account is not marked verified, and nothing is refused for it", async () => {
    browser.headers = appPage();
    const email = newEmail();
    expect(await outcome(signUpAction(null, form({ name: "Open Person", email, password: "correct horse battery" })))).toEqual({
      redirect: "http://localhost:3000/devices",
    });
    const u = await accountOf(email);
    expect(u?.emailVerified).toBeNull();
    expect(await lastEmail(email, "welcome")).toBeTruthy();
    const server = await makeServer();
    await expect(createPeer(actorOf(u!), { serverId: server.id, deviceName: "laptop", deviceType: "linux" })).resolves.toMatchObject({ deviceName: "laptop" });
  });

  it("closed: sign-up is refused with a clear message (403); admins still create accounts, verified", async () => {
    resetEnv({ SIGNUP_MODE: "closed" });
    browser.headers = appPage();
    const email = newEmail();
    const res = await outcome(signUpAction(null, form({ name: "Closed Person", email, password: "correct horse battery" })));
    expect(res).toMatchObject({ result: { ok: false, formError: "Sign-up is closed: ask an administrator for an account." } });
    await expect(signUp({ email, name: "x", password: "correct horse battery" }, null)).rejects.toMatchObject({ code: "forbidden", status: 403 });
    expect(await accountOf(email)).toBeUndefined();
    const made = await makeUser();
    expect((await accountOf(made.email))?.emailVerified).toBeInstanceOf(Date);
  });
});

describe("SIGNUP_MODE=verify", () => {
  it("sends a verification link instead of signing in; a taken address gets the very same answer, and its owner an email", async () => {
    resetEnv({ SIGNUP_MODE: "verify" });
    browser.headers = appPage();
    const email = newEmail();
    const fields = { name: "Verify Person", email, password: "correct horse battery" };
    expect(await outcome(signUpAction(null, form(fields)))).toEqual({ redirect: "/sign-in?verify=1" });
    expect(browser.cookies.size, "not signed in by the sign-up").toBe(0);
    expect((await accountOf(email))?.emailVerified).toBeNull();
    const link = await lastEmail(email, "verify_email");
    expect(link?.text).toMatch(/http:\/\/localhost:3000\/verify-email\/[A-Za-z0-9_-]{43}/);
    expect(await lastEmail(email, "welcome")).toBeUndefined();

    const taken = await outcome(signUpAction(null, form({ ...fields, name: "Someone Else", password: "another long password" })));
    expect(taken).toEqual({ redirect: "/sign-in?verify=1" });
    expect(await lastEmail(email, "account_exists")).toBeTruthy();
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    const demo = await makeUser();
    expect(await outcome(signUpAction(null, form({ name: "Again", email: demo.email, password: "correct horse battery" })))).toEqual({ redirect: "/sign-in?verify=1" });
  });

  it("an unverified account signs in and works, but creating a device is 403 email_not_verified at every door until the link is used", async () => {
    resetEnv({ SIGNUP_MODE: "verify" });
    const email = newEmail();
    await signUp({ name: "Door Tester", email, password: "correct horse battery" }, null);
    const u = (await accountOf(email))!;
    const actor = actorOf(u);
    const { token } = await createApiToken(actor, "test");
    const server = await makeServer();
    const body = { serverId: server.id, deviceName: "phone", deviceType: "android" as const };

    await expect(createPeer(actor, body)).rejects.toMatchObject({ code: "email_not_verified", status: 403 });
    const api = await call(createPeerRoute, { token, body });
    expect(api.status).toBe(403);
    expect(api.json.error.code).toBe("email_not_verified");
    const { cookie } = await signedIn(u.id);
    browser.headers = appPage({ cookie });
    const page = await outcome(createDeviceAction(null, form(body)));
    expect(page).toMatchObject({ result: { ok: false, formError: expect.stringContaining("Confirm your email address") } });

    // "Send the link again": a new link; the newest one confirms the address.
    const again = await call(resend, { token, method: "POST" });
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ sent: true });
    const verify = await linkToken(email, "verify_email", "verify-email");
    expect((await call(verifyRoute, { body: { token: verify } })).status).toBe(204);
    expect((await accountOf(email))?.emailVerified).toBeInstanceOf(Date);
    expect((await call(verifyRoute, { body: { token: verify } })).status).toBe(400);
    expect((await call(resend, { token, method: "POST" })).json).toEqual({ sent: false });

    const created = await call(createPeerRoute, { token, body });
    expect(created.status, created.text).toBe(201);
  });

  it("the first link dies with the second's use; admin-made and seeded accounts are verified from the start", async () => {
    resetEnv({ SIGNUP_MODE: "verify" });
    const email = newEmail();
    await signUp({ name: "Two Links", email, password: "correct horse battery" }, null);
    const first = await linkToken(email, "verify_email", "verify-email");
    const u = (await accountOf(email))!;
    await call(resend, { token: (await createApiToken(actorOf(u), "t")).token, method: "POST" });
    const second = await linkToken(email, "verify_email", "verify-email");
    await confirmEmailVerification(second, null);
    await expect(confirmEmailVerification(first, null)).rejects.toMatchObject({ code: "validation_error" });

    const admin = await makeUser("admin");
    const server = await makeServer();
    await expect(createPeer(admin.actor, { serverId: server.id, deviceName: "admin-laptop", deviceType: "linux" })).resolves.toBeTruthy();
    const db = await getDb();
    const sent = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "verify_email")));
    expect(sent).toEqual([]);
  });
});
