import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getOutboxEmail, listOutbox } from "@/lib/dal/outbox";
import { enqueueEmail } from "@/lib/email/outbox";
import { welcomeEmail } from "@/lib/email/templates/welcome";
import type { UserActor } from "@/lib/auth/actor";

const admin: UserActor = { kind: "user", id: "a1", role: "admin", status: "active", email: "admin@example.com" };
const agent: UserActor = { ...admin, id: "s1", role: "agent" };
const ids: string[] = [];

beforeAll(async () => {
  const db = await getDb();
  for (let i = 0; i < 7; i++) ids.push((await enqueueEmail(db, `u${i}@example.com`, welcomeEmail({ name: `U${i}` }))).id);
  // Several rows share one created_at (to the microsecond), so the id must break ties.
  await db.execute(sql`update email_outbox set created_at = '2030-01-01T00:00:00.123456Z' where to_address in ('u1@example.com', 'u2@example.com', 'u3@example.com')`);
});

describe("admin outbox reader", () => {
  it("pages through every email once, newest first, with a keyset cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listOutbox>> = await listOutbox(admin, { cursor, limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice().sort()).toEqual(ids.slice().sort());
    const all = (await listOutbox(admin, { limit: 100 })).items;
    expect(all.map((i) => i.id)).toEqual(seen);
    expect(all.slice(0, 3).map((i) => i.to).sort()).toEqual(["u1@example.com", "u2@example.com", "u3@example.com"]);
    expect(all[0]).toMatchObject({ subject: "Welcome to SecureWave", template: "welcome", status: "logged", attempts: 0, lastError: null, sentAt: null });
    expect(all[0]).not.toHaveProperty("html");
  });

  it("filters by status and reads one email with its html and text", async () => {
    expect((await listOutbox(admin, { status: "sent" })).items).toEqual([]);
    expect((await listOutbox(admin, { status: "logged" })).items).toHaveLength(7);
    const email = await getOutboxEmail(admin, ids[0]);
    expect(email).toMatchObject({ id: ids[0], to: "u0@example.com", status: "logged" });
    expect(email.html).toContain("Hi U0,");
    expect(email.text).toContain("/devices");
  });

  it("is for admins only, and rejects bad cursors and unknown ids", async () => {
    await expect(listOutbox(agent)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getOutboxEmail(agent, ids[0])).rejects.toMatchObject({ code: "forbidden" });
    await expect(listOutbox(admin, { cursor: "bm9wZQ" })).rejects.toMatchObject({ code: "validation_error" });
    await expect(getOutboxEmail(admin, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ code: "not_found" });
  });
});
