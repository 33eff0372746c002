import { beforeEach, describe, expect, it, vi } from "vitest";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { signInAction } from "@/app/(auth)/sign-in/actions";
import { POST as setup } from "@/app/api/me/2fa/setup/route";
import { POST as enable } from "@/app/api/me/2fa/enable/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { signInWithCredentials, totp } from "./account-helpers";

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

async function enrolled() {
  const u = await makeUser();
  const { secret } = (await call(setup, { token: u.token, method: "POST" })).json as { secret: string };
  expect((await call(enable, { token: u.token, body: { code: await totp(secret) } })).status).toBe(200);
  return { ...u, secret };
}

const hasSession = () => [...browser.cookies.keys()].some((k) => k.includes("session-token"));

beforeEach(() => {
  browser.headers = new Headers({ host: "localhost:3000", origin: "http://localhost:3000", "x-forwarded-proto": "http", "user-agent": "vitest" });
  browser.cookies.clear();
});

describe("the sign-in page's two steps (signInAction)", () => {
  it("a right password for an account with two-factor asks for the code, and sets no cookie", async () => {
    const u = await enrolled();
    expect(await outcome(signInAction(null, form({ email: u.email, password: u.password })))).toEqual({ result: { ok: true, data: { needsCode: true } } });
    expect(hasSession()).toBe(false);
  });

  it("a wrong password for such an account says only that the email or password is wrong", async () => {
    const u = await enrolled();
    const res = await outcome(signInAction(null, form({ email: u.email, password: "wrong password!" })));
    expect(res).toEqual({ result: { ok: false, formError: "Email or password is incorrect.", values: { email: u.email } } });
  });

  it("the second step sends all three: a wrong code is the code field's error; the right one signs in", async () => {
    const u = await enrolled();
    const wrong = await outcome(signInAction(null, form({ email: u.email, password: u.password, code: "12345x" })));
    expect(wrong).toMatchObject({ result: { ok: false, fieldErrors: { code: [expect.stringContaining("That code is not right")] } } });
    expect(hasSession()).toBe(false);
    const ok = await outcome(signInAction(null, form({ email: u.email, password: u.password, code: await totp(u.secret, 1), callbackUrl: "/settings" })));
    expect(ok).toEqual({ redirect: "http://localhost:3000/settings" });
    expect(hasSession()).toBe(true);
  });

  it("an account without two-factor signs in in one step, an empty code field counting as none", async () => {
    const u = await makeUser();
    const res = await outcome(signInAction(null, form({ email: u.email, password: u.password, code: "", callbackUrl: "/usage" })));
    expect(res).toEqual({ redirect: "http://localhost:3000/usage" });
    expect(hasSession()).toBe(true);
  });
});

describe("one code, two sign-ins at once (PostgreSQL)", () => {
  it.runIf(!!process.env.TEST_DATABASE_URL)("exactly one of them gets a session", async () => {
    for (let round = 0; round < 3; round++) {
      const u = await enrolled();
      const code = await totp(u.secret, 1);
      const results = await Promise.all([0, 1, 2].map(() => signInWithCredentials(u.email, u.password, code)));
      expect(results.filter((r) => r.session)).toHaveLength(1);
      expect(results.filter((r) => r.refused === "invalid_code")).toHaveLength(2);
    }
  });
});
