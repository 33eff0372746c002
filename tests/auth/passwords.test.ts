import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { auditLog, emailOutbox, emailTokens, users } from "@/db/schema";
import { hashToken } from "@/lib/crypto/tokens";
import { verifyPassword } from "@/lib/auth/password";
import { verifyCredentials } from "@/lib/services/sign-in";
import { requestPasswordReset } from "@/lib/services/passwords";
import { issueEmailToken, pruneEmailTokens } from "@/lib/services/email-tokens";
import { GET as me } from "@/app/api/me/route";
import { POST as changePasswordRoute } from "@/app/api/me/password/route";
import { POST as resetRequest } from "@/app/api/auth/password-reset/route";
import { POST as resetConfirm } from "@/app/api/auth/password-reset/confirm/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { fromApp, lastEmail, linkToken, sessionRow, signedIn } from "./account-helpers";

const NEW_PASSWORD = "a brand new passphrase";

// Each request of this file comes from its own address (one proxy in front), so the per-address limits count only where a test means them to.
beforeAll(() => void resetEnv({ TRUSTED_PROXIES: "1" }));
let addresses = 0;
const fresh = () => ({ "x-forwarded-for": `198.18.${Math.floor(++addresses / 250)}.${addresses % 250}` });

async function passwordHashOf(userId: string) {
  const db = await getDb();
  const [u] = await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, userId));
  return u!.h;
}

describe("POST /api/me/password", () => {
  it("changes the password with the current one and ends every other session, keeping this one", async () => {
    const u = await makeUser();
    const here = await signedIn(u.id);
    const other = await signedIn(u.id, "curl/8.0", "198.51.100.9");
    const res = await call(changePasswordRoute, { headers: fromApp(here.cookie), body: { currentPassword: u.password, newPassword: NEW_PASSWORD } });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");

    expect(await verifyPassword(NEW_PASSWORD, await passwordHashOf(u.id))).toBe(true);
    expect(await sessionRow(other.sid)).toMatchObject({ endedReason: "password_changed" });
    expect((await sessionRow(here.sid)).endedAt).toBeNull();
    expect((await call(me, { headers: { cookie: other.cookie } })).status).toBe(401);
    expect((await call(me, { headers: { cookie: here.cookie } })).status).toBe(200);

    expect((await verifyCredentials(u.email, u.password, "192.0.2.1")).ok).toBe(false);
    expect((await verifyCredentials(u.email, NEW_PASSWORD, "192.0.2.1")).ok).toBe(true);
    expect(await lastEmail(u.email, "security_password_changed")).toBeTruthy();
    const db = await getDb();
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "auth.password_changed"), eq(auditLog.targetId, u.id)));
    expect(audit!.metadata).toEqual({ sessionsEnded: 1 });
  });

  it("refuses a wrong current password next to its field, changing nothing", async () => {
    const u = await makeUser();
    const here = await signedIn(u.id);
    const other = await signedIn(u.id);
    const before = await passwordHashOf(u.id);
    const res = await call(changePasswordRoute, { headers: fromApp(here.cookie), body: { currentPassword: "not my password", newPassword: NEW_PASSWORD } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "validation_error", details: [{ path: "currentPassword" }] });
    expect(await passwordHashOf(u.id)).toBe(before);
    expect((await sessionRow(other.sid)).endedAt).toBeNull();
  });

  it("validates the new password, and refuses a cross-site request", async () => {
    const u = await makeUser();
    const here = await signedIn(u.id);
    const short = await call(changePasswordRoute, { headers: fromApp(here.cookie), body: { currentPassword: u.password, newPassword: "short" } });
    expect(short.status).toBe(400);
    expect(short.json.error.details[0].path).toBe("newPassword");
    const crossSite = await call(changePasswordRoute, {
      headers: { cookie: here.cookie, origin: "https://evil.example", host: "localhost:3000" },
      body: { currentPassword: u.password, newPassword: NEW_PASSWORD },
    });
    expect(crossSite.status).toBe(403);
    expect(await verifyPassword(u.password, await passwordHashOf(u.id))).toBe(true);
  });

  it("limits password checks per account: a stolen session cannot guess the password", async () => {
    const u = await makeUser();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await call(changePasswordRoute, { token: u.token, body: { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD } })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("password reset", () => {
  it("answers 202 alike for an account and for an unknown address; only the account gets a link", async () => {
    const u = await makeUser();
    const known = await call(resetRequest, { body: { email: u.email.toUpperCase() }, headers: fresh() });
    const unknown = await call(resetRequest, { body: { email: "nobody-here@example.test" }, headers: fresh() });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.text).toBe(unknown.text);
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());

    const email = await lastEmail(u.email, "password_reset");
    expect(email?.subject).toBe("Reset your SecureWave password");
    expect(email!.text).toMatch(/http:\/\/localhost:3000\/reset-password\/[A-Za-z0-9_-]{43}/);
    const db = await getDb();
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "nobody-here@example.test"))).toEqual([]);
    // Only the hash of the link's token is kept.
    const token = await linkToken(u.email, "password_reset", "reset-password");
    const [row] = await db.select().from(emailTokens).where(eq(emailTokens.userId, u.id));
    expect(row).toMatchObject({ tokenHash: hashToken(token), purpose: "password_reset", usedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(60 * 60_000);
  });

  it("the link sets a new password once, ends every session, and the old password stops working", async () => {
    const u = await makeUser();
    const a = await signedIn(u.id);
    const b = await signedIn(u.id);
    expect((await call(resetRequest, { body: { email: u.email }, headers: fresh() })).status).toBe(202);
    const token = await linkToken(u.email, "password_reset", "reset-password");

    const res = await call(resetConfirm, { body: { token, newPassword: NEW_PASSWORD }, headers: fresh() });
    expect(res.status, res.text).toBe(204);
    for (const s of [a, b]) {
      expect(await sessionRow(s.sid)).toMatchObject({ endedReason: "password_reset" });
      expect((await call(me, { headers: { cookie: s.cookie } })).status).toBe(401);
    }
    expect((await verifyCredentials(u.email, u.password, "192.0.2.2")).ok).toBe(false);
    expect((await verifyCredentials(u.email, NEW_PASSWORD, "192.0.2.2")).ok).toBe(true);

    const again = await call(resetConfirm, { body: { token, newPassword: "yet another passphrase" }, headers: fresh() });
    expect(again.status).toBe(400);
    expect(again.json.error.details[0].path).toBe("token");
    expect(await verifyPassword(NEW_PASSWORD, await passwordHashOf(u.id))).toBe(true);
    expect(await lastEmail(u.email, "security_password_reset")).toBeTruthy();
  });

  it("a used reset voids the other links of the account; an expired or unknown token is refused alike", async () => {
    const u = await makeUser();
    await requestPasswordReset(u.email, "192.0.2.3");
    const first = await linkToken(u.email, "password_reset", "reset-password");
    await requestPasswordReset(u.email, "192.0.2.3");
    const second = await linkToken(u.email, "password_reset", "reset-password");
    expect(second).not.toBe(first);
    expect((await call(resetConfirm, { body: { token: second, newPassword: NEW_PASSWORD }, headers: fresh() })).status).toBe(204);
    expect((await call(resetConfirm, { body: { token: first, newPassword: "another passphrase!" }, headers: fresh() })).status).toBe(400);

    await requestPasswordReset(u.email, "192.0.2.3");
    const third = await linkToken(u.email, "password_reset", "reset-password");
    const db = await getDb();
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(emailTokens.tokenHash, hashToken(third)));
    const expired = await call(resetConfirm, { body: { token: third, newPassword: "another passphrase!" }, headers: fresh() });
    const unknown = await call(resetConfirm, { body: { token: "A".repeat(43), newPassword: "another passphrase!" }, headers: fresh() });
    expect([expired.status, unknown.status]).toEqual([400, 400]);
    expect(expired.json.error.message).toBe(unknown.json.error.message);
    const malformed = await call(resetConfirm, { body: { token: "short", newPassword: "another passphrase!" }, headers: fresh() });
    expect(malformed.status).toBe(400);
    expect(await verifyPassword(NEW_PASSWORD, await passwordHashOf(u.id))).toBe(true);
  });

  it("is limited per address of the caller (429), and sends at most three links an hour to one account, silently", async () => {
    const u = await makeUser();
    const ip = "198.51.100.77";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(resetRequest, { body: { email: u.email }, headers: { "x-forwarded-for": ip } })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    const db = await getDb();
    const sent = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, u.email), eq(emailOutbox.template, "password_reset")));
    expect(sent).toHaveLength(3);

    // The per-address limit: 20 an hour from one caller, whoever they ask about.
    let last = 0;
    for (let i = 0; i < 16; i++) last = (await call(resetRequest, { body: { email: `walk-${i}@example.test` }, headers: { "x-forwarded-for": ip } })).status;
    expect(last).toBe(429);
  });
});

describe("housekeeping", () => {
  it("prunes links used or expired more than a day ago, and only those", async () => {
    const u = await makeUser();
    const db = await getDb();
    const now = new Date();
    const old = new Date(now.getTime() - 3 * 86_400_000);
    const expired = await issueEmailToken(db, { userId: u.id, email: u.email, purpose: "password_reset" }, old);
    const live = await issueEmailToken(db, { userId: u.id, email: u.email, purpose: "email_verification" }, now);
    const usedLongAgo = await issueEmailToken(db, { userId: u.id, email: u.email, purpose: "email_verification" }, now);
    await db.update(emailTokens).set({ usedAt: old }).where(eq(emailTokens.tokenHash, hashToken(usedLongAgo.token)));
    expect(await pruneEmailTokens(now)).toBeGreaterThanOrEqual(2);
    const left = (await db.select({ h: emailTokens.tokenHash }).from(emailTokens).where(eq(emailTokens.userId, u.id))).map((r) => r.h);
    expect(left).toEqual([hashToken(live.token)]);
    expect(left).not.toContain(hashToken(expired.token));
  });
});

describe("password reset races (PostgreSQL)", () => {
  it.runIf(!!process.env.TEST_DATABASE_URL)("the same token confirmed twice at once: exactly one 204", async () => {
    for (let round = 0; round < 3; round++) {
      const u = await makeUser();
      await requestPasswordReset(u.email, "192.0.2.4");
      const token = await linkToken(u.email, "password_reset", "reset-password");
      const results = await Promise.all(
        ["first racing passphrase", "second racing passphrase", "third racing passphrase"].map((p) => call(resetConfirm, { body: { token, newPassword: p }, headers: fresh() })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([204, 400, 400]);
      const winner = ["first racing passphrase", "second racing passphrase", "third racing passphrase"][results.findIndex((r) => r.status === 204)]!;
      expect(await verifyPassword(winner, await passwordHashOf(u.id))).toBe(true);
      const db = await getDb();
      const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, "auth.password_reset"), eq(auditLog.targetId, u.id)));
      expect(audits).toHaveLength(1);
    }
  });
});
