import { NextRequest } from "next/server";
import { and, desc, eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { generate } from "otplib";
import { getDb } from "@/db/client";
import { emailOutbox, userSessions } from "@/db/schema";
import { handlers } from "@/lib/auth/auth";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { startSession } from "@/lib/services/sessions";

export const COOKIE = "authjs.session-token";
export const ORIGIN = "http://localhost:3000";
export const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** A signed-in browser: its session record and the cookie naming it. */
export async function signedIn(userId: string, userAgent = FIREFOX_WINDOWS, ip = "203.0.113.5") {
  const sid = await startSession(userId, { userAgent, ip });
  const token = await encode({ token: { sub: userId, sid }, secret: getRuntimeSecrets().authSecret, salt: COOKIE });
  return { sid, cookie: `${COOKIE}=${token}` };
}

/** Headers of a cookie-authenticated write from the app's own page. */
export const fromApp = (cookie: string) => ({ cookie, origin: ORIGIN, host: "localhost:3000" });

export async function sessionRow(sid: string) {
  const db = await getDb();
  const [r] = await db.select().from(userSessions).where(eq(userSessions.id, sid));
  return r!;
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

async function authJs(method: "GET" | "POST", path: string, opts: { cookie?: string; form?: Record<string, string>; ip?: string } = {}) {
  const headers = new Headers({ "user-agent": FIREFOX_WINDOWS });
  if (opts.ip) headers.set("x-forwarded-for", opts.ip);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.form) headers.set("content-type", "application/x-www-form-urlencoded");
  const req = new NextRequest(new URL(path, ORIGIN), { method, headers, body: opts.form ? new URLSearchParams(opts.form).toString() : undefined });
  return handlers[method](req);
}

/**
 * Signs in through Auth.js's own credentials endpoint, as a browser or a
 * script does (CSRF cookie and token first), with a two-factor code when
 * given. Returns the session cookie, if one was set, and where Auth.js sent
 * the browser (its `code` parameter says why a sign-in was refused).
 */
export async function signInWithCredentials(email: string, password: string, code?: string) {
  const csrf = await authJs("GET", "/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await authJs("POST", "/api/auth/callback/credentials", {
    cookie: cookiesOf(csrf).join("; "),
    form: { csrfToken, email, password, ...(code === undefined ? {} : { code }) },
  });
  const session = cookiesOf(res).find((c) => c.startsWith(`${COOKIE}=`) && c.length > COOKIE.length + 1);
  const location = res.headers.get("location") ?? "";
  const refused = location ? new URL(location, ORIGIN).searchParams.get("code") : null;
  return { session, location, refused };
}

/** The newest email sent to an address with a template, or undefined. */
export async function lastEmail(to: string, template: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, template)))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return row;
}

/** The token of the newest link of that kind in an email to `to`. */
export async function linkToken(to: string, template: string, path: "reset-password" | "verify-email"): Promise<string> {
  const email = await lastEmail(to, template);
  const m = email?.text.match(new RegExp(`/${path}/([A-Za-z0-9_-]{43})`));
  if (!m) throw new Error(`no ${path} link in an email to ${to}`);
  return m[1]!;
}

/** A TOTP code from the enrolled secret, computed with the same library as the app; `steps` moves it by whole 30-second steps. */
export function totp(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}
