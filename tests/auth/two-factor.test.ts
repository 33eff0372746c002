import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getDb } from "@/db/client";
import { auditLog, signInAttempts, userRecoveryCodes, users } from "@/db/schema";
import { unseal } from "@/lib/crypto/seal";
import { resetEnv } from "@/lib/env";
import { verifyCredentials } from "@/lib/services/sign-in";
import { setStaffTwoFactorRequired } from "@/lib/services/two-factor";
import { GET as me } from "@/app/api/me/route";
import { GET as listSessions } from "@/app/api/me/sessions/route";
import { POST as setup } from "@/app/api/me/2fa/setup/route";
import { POST as enable } from "@/app/api/me/2fa/enable/route";
import { POST as disable } from "@/app/api/me/2fa/disable/route";
import { POST as adminReset } from "@/app/api/admin/users/[id]/2fa/reset/route";
import { GET as getSettings, PATCH as patchSettings } from "@/app/api/admin/settings/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { fromApp, signedIn, signInWithCredentials, totp } from "./account-helpers";

// Pages read the request's headers through next/headers: here, the headers a test sets.
const page = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => page.headers }));

beforeAll(() => void resetEnv({ SIGNIN_MAX_FAILURES: "5" }));

type User = Awaited<ReturnType<typeof makeUser>>;

/** Enrols a user through the API as the Settings page does; returns the secret (as the app showed it) and the recovery codes. */
async function enrol(u: User) {
  const started = await call(setup, { token: u.token, method: "POST" });
  expect(started.status, started.text).toBe(200);
  const { secret, otpauthUrl } = started.json as { secret: string; otpauthUrl: string };
  expect(otpauthUrl).toBe(`otpauth://totp/SecureWave:${encodeURIComponent(u.email)}?secret=${secret}&issuer=SecureWave`);
  const on = await call(enable, { token: u.token, body: { code: await totp(secret) } });
  expect(on.status, on.text).toBe(200);
  return { secret, recoveryCodes: (on.json as { recoveryCodes: string[] }).recoveryCodes };
}

async function userRow(id: string) {
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u!;
}

describe("enrolment: POST /api/me/2fa/setup and /enable", () => {
  it("seals the secret at rest, turns two-factor on with a first code, and shows ten recovery codes once, stored hashed", async () => {
    const u = await makeUser();
    const started = await call(setup, { token: u.token, method: "POST" });
    const { secret } = started.json as { secret: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    let row = await userRow(u.id);
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpPendingSealed).toMatch(/^v1\./);
    expect(row.totpPendingSealed).not.toContain(secret);
    expect(unseal(row.totpPendingSealed!)).toBe(secret);

    const wrong = await call(enable, { token: u.token, body: { code: "000000" === (await totp(secret)) ? "111111" : "000000" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details[0].path).toBe("code");
    expect((await userRow(u.id)).totpEnabledAt).toBeNull();

    const on = await call(enable, { token: u.token, body: { code: await totp(secret) } });
    expect(on.status).toBe(200);
    const codes = (on.json as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    row = await userRow(u.id);
    expect(row.totpEnabledAt).toBeInstanceOf(Date);
    expect(row.totpPendingSealed).toBeNull();
    expect(unseal(row.totpSecretSealed!)).toBe(secret);
    const db = await getDb();
    const stored = await db.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, u.id));
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const c of codes) expect(dump).not.toContain(c.replace(/-/g, ""));
    // Setting up again while on is refused: turning it off comes first.
    expect((await call(setup, { token: u.token, method: "POST" })).status).toBe(409);
  });

  it("enable without a setup is a conflict; the setup routes need a signed-in account", async () => {
    const u = await makeUser();
    expect((await call(enable, { token: u.token, body: { code: "123456" } })).status).toBe(409);
    expect((await call(setup, { method: "POST" })).status).toBe(401);
  });
});

describe("sign-in with two-factor (Auth.js credentials: email, password, code)", () => {
  it("asks for the code only after a right password; accepts a code one step either side of now, and refuses it twice", async () => {
    const u = await makeUser();
    const { secret } = await enrol(u);

    const wrongPassword = await signInWithCredentials(u.email, "not the password");
    const noCode = await signInWithCredentials(u.email, u.password);
    expect(wrongPassword.session).toBeUndefined();
    expect(wrongPassword.refused).toBe("credentials");
    expect(noCode.session).toBeUndefined();
    expect(noCode.refused).toBe("two_factor_required");

    // The enable used the current step: a code for the next step (a phone whose clock runs ahead) works once.
    const ahead = await totp(secret, 1);
    const ok = await signInWithCredentials(u.email, u.password, ahead);
    expect(ok.session, ok.location).toBeTruthy();
    expect((await call(me, { headers: { cookie: ok.session! } })).status).toBe(200);
    const replay = await signInWithCredentials(u.email, u.password, ahead);
    expect(replay.session).toBeUndefined();
    expect(replay.refused).toBe("invalid_code");
    // A code from an earlier step than the last one used is refused too, and so is one three steps away.
    expect((await signInWithCredentials(u.email, u.password, await totp(secret, -1))).refused).toBe("invalid_code");
    expect((await signInWithCredentials(u.email, u.password, await totp(secret, 3))).refused).toBe("invalid_code");
  });

  it("takes a recovery code in the code field, once", async () => {
    const u = await makeUser();
    const { recoveryCodes } = await enrol(u);
    const code = recoveryCodes[3]!.toUpperCase().replace(/-/g, " ");
    const first = await signInWithCredentials(u.email, u.password, code);
    expect(first.session).toBeTruthy();
    expect((await signInWithCredentials(u.email, u.password, recoveryCodes[3]!)).refused).toBe("invalid_code");
    const db = await getDb();
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in"), eq(auditLog.targetId, u.id)));
    expect(audit!.metadata).toEqual({ secondFactor: "recovery_code" });
  });

  it("wrong codes count towards the lockout like wrong passwords; a missing code does not", async () => {
    const u = await makeUser();
    const { secret } = await enrol(u);
    for (let i = 0; i < 3; i++) expect((await verifyCredentials(u.email, u.password, null)).ok).toBe(false);
    for (let i = 0; i < 5; i++) expect(await verifyCredentials(u.email, u.password, null, `99999${i}`)).toEqual({ ok: false, reason: "invalid_code" });
    const db = await getDb();
    const failures = await db.select().from(signInAttempts).where(and(eq(signInAttempts.userId, u.id), eq(signInAttempts.success, false)));
    expect(failures.map((f) => f.reason)).toEqual(Array(5).fill("wrong_code"));
    // Locked out now: even the right code is refused until the window passes.
    const locked = await verifyCredentials(u.email, u.password, null, await totp(secret, 1));
    expect(locked).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await signInWithCredentials(u.email, u.password, await totp(secret, 1))).refused).toBe("rate_limited");
  });
});

describe("POST /api/me/2fa/disable", () => {
  it("takes the password and a code (or a recovery code); then sign-in needs the password only", async () => {
    const u = await makeUser();
    const { secret, recoveryCodes } = await enrol(u);
    const noPassword = await call(disable, { token: u.token, body: { password: "not it", code: await totp(secret, 1) } });
    expect(noPassword.status).toBe(400);
    expect(noPassword.json.error.details[0].path).toBe("password");
    const badCode = await call(disable, { token: u.token, body: { password: u.password, recoveryCode: "0000-0000-0000-0000" } });
    expect(badCode.status).toBe(400);
    expect(badCode.json.error.details[0].path).toBe("recoveryCode");
    expect((await call(disable, { token: u.token, body: { password: u.password } })).status).toBe(400);
    expect((await userRow(u.id)).totpEnabledAt).not.toBeNull();

    const off = await call(disable, { token: u.token, body: { password: u.password, recoveryCode: recoveryCodes[0] } });
    expect(off.status, off.text).toBe(204);
    const row = await userRow(u.id);
    expect([row.totpEnabledAt, row.totpSecretSealed, row.totpPendingSealed]).toEqual([null, null, null]);
    const db = await getDb();
    expect(await db.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, u.id))).toEqual([]);
    expect((await signInWithCredentials(u.email, u.password)).session).toBeTruthy();
  });
});

describe("admins: reset a user's two-factor, require it of staff", () => {
  it("an admin resets a user's two-factor, audited; not their own; others are refused", async () => {
    const admin = await makeUser("admin");
    const u = await makeUser();
    await enrol(u);
    expect((await call(adminReset, { token: u.token, method: "POST", params: { id: u.id } })).status).toBe(403);
    const res = await call(adminReset, { token: admin.token, method: "POST", params: { id: u.id } });
    expect(res.status, res.text).toBe(204);
    expect((await userRow(u.id)).totpEnabledAt).toBeNull();
    const db = await getDb();
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "auth.two_factor_reset"), eq(auditLog.targetId, u.id)));
    expect(audit).toMatchObject({ actorId: admin.id, metadata: { wasEnabled: true } });
    expect((await signInWithCredentials(u.email, u.password)).session).toBeTruthy();
    expect((await call(adminReset, { token: admin.token, method: "POST", params: { id: admin.id } })).status).toBe(403);
    expect((await call(adminReset, { token: admin.token, method: "POST", params: { id: "00000000-0000-0000-0000-000000000000" } })).status).toBe(404);
  });

  it("requiring it: an admin needs it first; then staff without it reach only the enrolment routes and page", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const user = await makeUser();
    const refused = await call(patchSettings, { token: admin.token, method: "PATCH", body: { requireStaffTwoFactor: true } });
    expect(refused.status).toBe(409);
    await enrol(admin);
    const on = await call(patchSettings, { token: admin.token, method: "PATCH", body: { requireStaffTwoFactor: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.json).toEqual({ requireStaffTwoFactor: true });
    expect((await call(getSettings, { token: admin.token })).json).toEqual({ requireStaffTwoFactor: true });

    try {
      // The agent signs in with the password (no code: none is set up) and gets a session that may only enrol.
      const signIn = await signInWithCredentials(agent.email, agent.password);
      expect(signIn.session).toBeTruthy();
      const cookie = signIn.session!;
      for (const res of [await call(me, { headers: { cookie } }), await call(me, { token: agent.token }), await call(listSessions, { headers: { cookie } })]) {
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe("two_factor_required");
      }
      // A user and an enrolled admin are not concerned.
      expect((await call(me, { token: user.token })).status).toBe(200);
      expect((await call(me, { token: admin.token })).status).toBe(200);

      // Pages: every page sends the session to the enrolment page; getCurrentUser sees no user.
      const { getCurrentUser, getCurrentSession, requireUser } = await import("@/lib/auth/session");
      page.headers = new Headers({ cookie });
      expect(await getCurrentUser()).toBeNull();
      expect((await getCurrentSession())?.twoFactorSetupRequired).toBe(true);
      const sent = await requireUser().then(
        () => null,
        (err: unknown) => (isRedirectError(err) ? err.digest.split(";")[2] : err),
      );
      expect(sent).toBe("/setup-two-factor");

      // The enrolment routes answer; once enrolled, everything opens.
      const started = await call(setup, { headers: fromApp(cookie), method: "POST" });
      expect(started.status, started.text).toBe(200);
      const { secret } = started.json as { secret: string };
      const enabled = await call(enable, { headers: fromApp(cookie), body: { code: await totp(secret) } });
      expect(enabled.status, enabled.text).toBe(200);
      expect((await call(me, { headers: { cookie } })).status).toBe(200);
      expect((await call(me, { token: agent.token })).status).toBe(200);
      // Staff cannot turn it off while it is required.
      expect((await call(disable, { token: agent.token, body: { password: agent.password, code: await totp(secret, 1) } })).status).toBe(409);
    } finally {
      await setStaffTwoFactorRequired(admin.actor, false);
    }
    expect((await call(getSettings, { token: admin.token })).json).toEqual({ requireStaffTwoFactor: false });
  });

  it("a signed-in staff session is held at the enrolment page from its next request on, without signing in again", async () => {
    const admin = await makeUser("admin");
    const other = await makeUser("admin");
    await enrol(admin);
    const { cookie } = await signedIn(other.id);
    expect((await call(me, { headers: { cookie } })).status).toBe(200);
    await setStaffTwoFactorRequired(admin.actor, true);
    try {
      const res = await call(me, { headers: { cookie } });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("two_factor_required");
    } finally {
      await setStaffTwoFactorRequired(admin.actor, false);
    }
    expect((await call(me, { headers: { cookie } })).status).toBe(200);
  });
});
