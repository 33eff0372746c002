import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox, subscriptions, users } from "@/db/schema";
import { createAccount } from "@/lib/services/accounts";
import { SignUpSchema } from "@/lib/validation/account";
import { AppError } from "@/lib/errors";

const count = async (q: ReturnType<typeof sql>) => {
  const db = await getDb();
  const r = (await db.execute(q)) as unknown as { rows?: { n: number }[] } | { n: number }[];
  const list = Array.isArray(r) ? r : r.rows!;
  return Number(list[0]!.n);
};

describe("accounts", () => {
  it("creates a user on the default plan with a welcome email", async () => {
    const u = await createAccount({ email: "New.Person@Example.test", name: "New", password: "long enough password" }, null);
    expect(u.email).toBe("new.person@example.test");
    expect(u.role).toBe("user");
    const db = await getDb();
    const [sub] = await db.select().from(subscriptions).where(sql`${subscriptions.userId} = ${u.id}`);
    expect(sub.planId).toBe("free");
    const mails = await db.select().from(emailOutbox).where(sql`${emailOutbox.toAddress} = ${u.email}`);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/welcome/i);
  });

  it("refuses a duplicate email (any case) and changes nothing", async () => {
    await createAccount({ email: "dup@example.test", password: "long enough password" }, null);
    const before = await count(sql`select (select count(*) from users) + (select count(*) from email_outbox) + (select count(*) from subscriptions) as n`);
    const err = await createAccount({ email: "DUP@example.test", password: "another password" }, null).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("conflict");
    expect(err.details).toEqual([{ path: "email", message: "An account with this email already exists" }]);
    const after = await count(sql`select (select count(*) from users) + (select count(*) from email_outbox) + (select count(*) from subscriptions) as n`);
    expect(after).toBe(before);
    const db = await getDb();
    expect(await db.select().from(users).where(sql`lower(${users.email}) = 'dup@example.test'`)).toHaveLength(1);
  });

  it("validates sign-up input with field messages", () => {
    const r = SignUpSchema.safeParse({ name: "", email: "not-an-email", password: "short" });
    expect(r.success).toBe(false);
    const fields = r.error!.flatten().fieldErrors;
    expect(fields.name?.[0]).toMatch(/name/i);
    expect(fields.email?.[0]).toMatch(/valid email/i);
    expect(fields.password?.[0]).toMatch(/at least 10/);
  });
});
