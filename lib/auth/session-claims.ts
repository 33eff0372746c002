import "server-only";
import { encode, getToken, type JWT } from "next-auth/jwt";
import { LRUCache } from "lru-cache";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { SESSION_COOKIE_MAX_AGE } from "./config";

/** What the session cookie claims, before the database has confirmed it. */
export interface SessionClaims {
  userId: string;
  /** Null for a cookie issued before sessions were recorded: such a cookie is refused. */
  sessionId: string | null;
}

/** A cookie is issued anew (a later expiry) at most this often, not on every request. */
export const SESSION_COOKIE_RENEW_AFTER_SECONDS = 24 * 60 * 60;

interface Verified {
  claims: SessionClaims;
  token: JWT;
  cookieName: string;
  expiresAt: number;
}

/**
 * Cookies already verified, by their exact text: what each one claims and
 * until when. Verifying a cookie is an HKDF derivation and an AES decryption
 * (about half a millisecond); a browser sends the same cookie with every
 * request. Only successful verifications are kept, never past the token's
 * own expiry, and the claims are only ever a question to the database
 * (lib/dal/sessions.ts authenticateSession), which answers on every request:
 * an ended session is refused as before.
 */
const verified = new LRUCache<string, Verified>({ max: 2000 });
let verifiedWith: unknown;

const COOKIE_NAMES = [
  { name: "__Secure-authjs.session-token", secure: true },
  { name: "authjs.session-token", secure: false },
];

async function verify(headers: Headers): Promise<Verified | null> {
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  const secret = getRuntimeSecrets().authSecret;
  // Verified under another secret counts for nothing.
  if (verifiedWith !== secret) {
    verified.clear();
    verifiedWith = secret;
  }
  const hit = verified.get(cookie);
  if (hit && hit.expiresAt > Date.now()) return hit;
  const req = { headers: new Headers({ cookie }) };
  for (const { name, secure } of COOKIE_NAMES) {
    const token = await getToken({ req, secret, secureCookie: secure });
    if (token?.sub) {
      const found = { claims: { userId: token.sub, sessionId: typeof token.sid === "string" ? token.sid : null }, token, cookieName: name, expiresAt: 0 };
      if (typeof token.exp === "number") verified.set(cookie, { ...found, expiresAt: token.exp * 1000 });
      return found;
    }
  }
  return null;
}

/**
 * The session cookie's claims (either cookie name: `__Secure-` behind TLS,
 * plain otherwise), verified with the app's secret. Only the Cookie header is
 * looked at: Auth.js would otherwise also take a JWT from an Authorization
 * header, which belongs to personal tokens here.
 */
export async function readSessionClaims(headers: Headers): Promise<SessionClaims | null> {
  return (await verify(headers))?.claims ?? null;
}

export interface RenewedCookie {
  name: string;
  value: string;
  secure: boolean;
  maxAge: number;
}

/**
 * For the proxy, on a page request: the claims, and a renewed cookie when
 * the one sent was issued more than a day ago. A session in use thus never
 * runs out (as with Auth.js's own rolling cookie), without encrypting a new
 * cookie on every request.
 */
export async function claimsAndRenewal(headers: Headers): Promise<{ claims: SessionClaims; renewed: RenewedCookie | null } | null> {
  const found = await verify(headers);
  if (!found) return null;
  const issuedAt = typeof found.token.iat === "number" ? found.token.iat : 0;
  if (Date.now() / 1000 - issuedAt < SESSION_COOKIE_RENEW_AFTER_SECONDS) return { claims: found.claims, renewed: null };
  const value = await encode({ token: found.token, secret: getRuntimeSecrets().authSecret, salt: found.cookieName, maxAge: SESSION_COOKIE_MAX_AGE });
  return { claims: found.claims, renewed: { name: found.cookieName, value, secure: found.cookieName.startsWith("__Secure-"), maxAge: SESSION_COOKIE_MAX_AGE } };
}
