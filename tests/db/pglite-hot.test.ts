import { describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import type { PGlite } from "@electric-sql/pglite";
import { getDb, getDbHandle } from "@/db/client";
import { users, userSessions } from "@/db/schema";
import { withPgliteFastPath } from "@/db/pglite-hot";
import { startSession } from "@/lib/services/sessions";
import { authenticateSession } from "@/lib/dal/sessions";
import { makeUser } from "../support/factories";

/**
 * The embedded database's fast path for hot statements (db/pglite-hot.ts):
 * the same rows as drizzle's own execution, decoded the same way, never
 * inside another caller's transaction, and drizzle's answer whenever
 * PostgreSQL objects.
 */
const probe = pgTable("hot_probe", { id: text("id").primaryKey(), n: integer("n") });

async function pglite(): Promise<PGlite | null> {
  const handle = await getDbHandle();
  return handle.kind === "pglite" ? ((handle.db as unknown as { $client: PGlite }).$client ?? null) : null;
}

/** A statement of every kind of column the hot paths read: uuid, text, enum, timestamptz, nullable, a boolean expression, an integer. */
const richQuery = (db: Awaited<ReturnType<typeof getDb>>, name: string) =>
  db
    .select({
      sessionId: userSessions.id,
      createdAt: userSessions.createdAt,
      endedAt: userSessions.endedAt,
      userAgent: userSessions.userAgent,
      email: users.email,
      role: users.role,
      status: users.status,
      stale: sql<boolean>`${userSessions.lastSeenAt} < now() - interval '5 minutes'`,
      count: sql<number>`length(${users.email})`.mapWith(Number),
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(eq(userSessions.userId, sql.placeholder("userId")))
    .prepare(name);

describe("PGlite's fast path for hot statements", () => {
  it("answers the same rows, decoded the same way, without PGlite's query()", async (ctx) => {
    const client = await pglite();
    if (!client) return ctx.skip(); // PostgreSQL: postgres-js prepares statements itself
    const db = await getDb();
    const user = await makeUser();
    await startSession(user.id, { userAgent: "Firefox on Linux", ip: "203.0.113.1" });
    await startSession(user.id, { userAgent: null, ip: null });

    const slow = await richQuery(db, "rich_slow").execute({ userId: user.id });
    const fast = withPgliteFastPath(richQuery(db, "rich_fast"));
    const query = vi.spyOn(client, "query");
    try {
      const first = await fast.execute({ userId: user.id });
      const again = await fast.execute({ userId: user.id });
      expect(query).not.toHaveBeenCalled();
      expect(slow).toHaveLength(2);
      expect(first).toEqual(slow);
      expect(again).toEqual(slow);
      expect(first[0]!.createdAt).toBeInstanceOf(Date);
      expect(typeof first[0]!.stale).toBe("boolean");
      expect(first.map((r) => r.userAgent).sort()).toEqual(["Firefox on Linux", null].sort());
      expect(await fast.execute({ userId: "00000000-0000-4000-8000-000000000000" })).toEqual([]);
    } finally {
      query.mockRestore();
    }
  });

  it("the session check behind every cookie takes it and still refuses an ended session", async (ctx) => {
    const client = await pglite();
    if (!client) return ctx.skip();
    const db = await getDb();
    const user = await makeUser();
    const sid = await startSession(user.id, { userAgent: null, ip: null });
    await authenticateSession({ userId: user.id, sessionId: sid }); // prepares
    const query = vi.spyOn(client, "query");
    try {
      expect((await authenticateSession({ userId: user.id, sessionId: sid }))?.actor.id).toBe(user.id);
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
    await db.update(userSessions).set({ endedAt: new Date() }).where(eq(userSessions.id, sid));
    expect(await authenticateSession({ userId: user.id, sessionId: sid })).toBeNull();
  });

  it("never runs inside another caller's open transaction", async (ctx) => {
    const client = await pglite();
    if (!client) return ctx.skip();
    const db = await getDb();
    await db.execute(sql`create table if not exists hot_probe (id text primary key, n integer)`);
    const count = withPgliteFastPath(db.select({ n: sql<number>`count(*)::int` }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare("probe_count"));
    await count.execute({ id: "warm" });

    let seen: Promise<{ n: number }[]> | undefined;
    let inserted!: () => void;
    const insertedNow = new Promise<void>((r) => (inserted = r));
    const tx = db
      .transaction(async (t) => {
        await t.insert(probe).values({ id: "uncommitted", n: 1 });
        inserted();
        // The fast statement is asked while this transaction is open, and this transaction yields to it...
        seen = count.execute({ id: "uncommitted" });
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        throw new Error("roll back");
      })
      .catch((err: Error) => err.message);
    await insertedNow;
    expect(await tx).toBe("roll back");
    // ...but runs only once it is over: it never saw the row that was rolled back.
    expect(await seen!).toEqual([{ n: 0 }]);
  });

  it("falls back to drizzle when PostgreSQL objects, and prepares again after a schema change", async (ctx) => {
    const client = await pglite();
    if (!client) return ctx.skip();
    const db = await getDb();
    await db.execute(sql`create table if not exists hot_probe (id text primary key, n integer)`);
    await db.insert(probe).values({ id: "a", n: 7 }).onConflictDoNothing();
    const read = withPgliteFastPath(db.select().from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare("probe_read"));
    expect(await read.execute({ id: "a" })).toEqual([{ id: "a", n: 7 }]);
    // A value the fast path does not send (a NUL byte): drizzle's own execution answers, with its own error.
    await expect(read.execute({ id: "a\0b" })).rejects.toThrow();
    // The statement's result type changes under its cached plan: PostgreSQL refuses, drizzle answers, the next run prepares anew.
    await db.execute(sql`alter table hot_probe add column note text`);
    const query = vi.spyOn(client, "query");
    try {
      expect(await read.execute({ id: "a" })).toEqual([{ id: "a", n: 7 }]);
      query.mockClear();
      expect(await read.execute({ id: "a" })).toEqual([{ id: "a", n: 7 }]);
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
  });
});
