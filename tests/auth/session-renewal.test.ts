import { afterEach, describe, expect, it, vi } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { SESSION_COOKIE_MAX_AGE } from "@/lib/auth/config";
import { claimsAndRenewal, readSessionClaims } from "@/lib/auth/session-claims";

/**
 * The proxy's view of the session cookie (lib/auth/session-claims): a cookie
 * in use is issued anew once a day, keeping everything it says, so a session
 * in use never runs out; a fresh cookie is not re-encrypted on every request.
 */
const COOKIE = "authjs.session-token";
const SECURE = "__Secure-authjs.session-token";
const DAY = 24 * 60 * 60 * 1000;

async function cookie(name: string, claims: Record<string, unknown>, issuedDaysAgo: number) {
  vi.useFakeTimers({ now: Date.now() - issuedDaysAgo * DAY, toFake: ["Date"] });
  try {
    return `${name}=${await encode({ token: claims, secret: getRuntimeSecrets().authSecret, salt: name, maxAge: SESSION_COOKIE_MAX_AGE })}`;
  } finally {
    vi.useRealTimers();
  }
}

afterEach(() => vi.useRealTimers());

describe("the session cookie seen by the proxy", () => {
  const claims = { sub: "7a1c8d1e-0f6e-4c4e-9c55-3f0d2b9d1a11", sid: "0b5f3c55-9d1f-4a53-8a1e-6c1b9e2f7d21", role: "user" };

  it("is not issued anew while it is less than a day old", async () => {
    const fresh = await cookie(COOKIE, claims, 0);
    expect(await claimsAndRenewal(new Headers({ cookie: fresh }))).toEqual({ claims: { userId: claims.sub, sessionId: claims.sid }, renewed: null });
  });

  it("is issued anew once older than a day: same claims, same name and flags, a later expiry", async () => {
    for (const name of [COOKIE, SECURE]) {
      const old = await cookie(name, claims, 2);
      const result = await claimsAndRenewal(new Headers({ cookie: old }));
      expect(result?.claims).toEqual({ userId: claims.sub, sessionId: claims.sid });
      const renewed = result!.renewed!;
      expect(renewed).toMatchObject({ name, secure: name === SECURE, maxAge: SESSION_COOKIE_MAX_AGE });
      const token = await decode({ token: renewed.value, secret: getRuntimeSecrets().authSecret, salt: name });
      expect(token).toMatchObject(claims);
      expect(token!.exp! * 1000).toBeGreaterThan(Date.now() + SESSION_COOKIE_MAX_AGE * 1000 - 60_000);
      // The renewed cookie is itself valid, and fresh.
      expect((await claimsAndRenewal(new Headers({ cookie: `${name}=${renewed.value}` })))?.renewed).toBeNull();
    }
  });

  it("is never renewed once expired, nor when forged or signed with another secret", async () => {
    const expired = await cookie(COOKIE, claims, 31);
    expect(await claimsAndRenewal(new Headers({ cookie: expired }))).toBeNull();
    const other = `${COOKIE}=${await encode({ token: claims, secret: "another-secret-0123456789abcdefghijklmnop", salt: COOKIE })}`;
    expect(await claimsAndRenewal(new Headers({ cookie: other }))).toBeNull();
    expect(await readSessionClaims(new Headers({ cookie: `${COOKIE}=not-a-token` }))).toBeNull();
    // A cookie under the other name's salt decrypts to nothing.
    const swapped = (await cookie(SECURE, claims, 2)).replace(SECURE, COOKIE);
    expect(await claimsAndRenewal(new Headers({ cookie: swapped }))).toBeNull();
  });
});
