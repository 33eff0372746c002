import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { signInAttempts, auditLog } from "@/db/schema";
import { verifyCredentials, signInLockout, IP_FACTOR } from "@/lib/services/sign-in";
import { resetEnv } from "@/lib/env";
import { makeUser, setStatus } from "../support/factories";

describe("sign-in", () => {
  it("accepts the right password and records the attempt", async () => {
    const u = await makeUser();
    const r = await verifyCredentials(u.email.toUpperCase(), u.password, "203.0.113.1");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.user.id).toBe(u.id);
    const db = await getDb();
    const [row] = await db.select().from(signInAttempts).where(sql`${signInAttempts.userId} = ${u.id}`);
    expect(row.success).toBe(true);
    const audits = await db.select().from(auditLog).where(sql`${auditLog.action} = 'auth.sign_in' and ${auditLog.targetId} = ${u.id}`);
    expect(audits).toHaveLength(1);
  });

  it("gives a wrong email and a wrong password the same answer", async () => {
    const u = await makeUser();
    const wrongPassword = await verifyCredentials(u.email, "not the password", "203.0.113.2");
    const wrongEmail = await verifyCredentials("nobody@example.test", u.password, "203.0.113.2");
    expect(wrongPassword).toEqual({ ok: false, reason: "invalid" });
    expect(wrongEmail).toEqual(wrongPassword);
  });

  it("refuses a banned account even with the right password", async () => {
    const u = await makeUser();
    await setStatus(u.id, "banned");
    expect(await verifyCredentials(u.email, u.password, null)).toEqual({ ok: false, reason: "invalid" });
  });

  it("lets a suspended account sign in", async () => {
    const u = await makeUser();
    await setStatus(u.id, "suspended");
    expect((await verifyCredentials(u.email, u.password, null)).ok).toBe(true);
  });

  it("locks an account after repeated failures, even for the right password, and says for how long", async () => {
    const u = await makeUser();
    for (let i = 0; i < 5; i++) await verifyCredentials(u.email, "wrong", `198.51.100.${i}`);
    const r = await verifyCredentials(u.email, u.password, "198.51.100.99");
    expect(r.ok).toBe(false);
    if (!r.ok && r.reason === "rate_limited") {
      expect(r.retryAfterSeconds).toBeGreaterThan(0);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    } else throw new Error("expected rate_limited");
    // another account from another address is unaffected
    const other = await makeUser();
    expect(await signInLockout(other.email, "192.0.2.7")).toBeNull();
  });

  it("locks an address that fails across many accounts", async () => {
    // An address may fail IP_FACTOR times as often as an account, and every failure costs a full
    // password hash: at the lowest account limit that is IP_FACTOR hashes instead of 5 × IP_FACTOR.
    const { SIGNIN_MAX_FAILURES } = resetEnv({ SIGNIN_MAX_FAILURES: "1" });
    try {
      const limit = SIGNIN_MAX_FAILURES * IP_FACTOR;
      for (let i = 0; i < limit - 1; i++) await verifyCredentials(`guess${i}@example.test`, "wrong", "192.0.2.200");
      expect(await signInLockout("fresh@example.test", "192.0.2.200")).toBeNull();
      await verifyCredentials(`guess${limit - 1}@example.test`, "wrong", "192.0.2.200");
      expect(await signInLockout("fresh@example.test", "192.0.2.200")).toBeGreaterThan(0);
      expect(await signInLockout("fresh@example.test", "192.0.2.201")).toBeNull();
    } finally {
      resetEnv({ SIGNIN_MAX_FAILURES: undefined });
    }
  });
});
