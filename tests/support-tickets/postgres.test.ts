import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, getDbHandle } from "@/db/client";
import { systemActor } from "@/lib/auth/actor";
import { listTickets, staffListQuery } from "@/lib/dal/tickets";
import { createTicket } from "@/lib/services/support";
import { makeUser } from "../support/factories";
import { useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

/** PGlite runs one transaction at a time and hides races: these need a real server (TEST_DATABASE_URL). */
describe.skipIf(!process.env.TEST_DATABASE_URL)("on PostgreSQL", () => {
  it("gives 50 concurrent creates 50 distinct, consecutive numbers", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => makeUser()));
    const now = new Date(Date.UTC(2040, 0, 15));
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createTicket(users[i % 5]!.actor, { subject: `Concurrent ${i}`, description: "race", category: "technical", priority: "medium" }, [], { now }),
      ),
    );
    const numbers = created.map((t) => t.ticketNumber);
    expect(new Set(numbers).size).toBe(50);
    const seqs = numbers.map((n) => Number(n.slice("TKT-204001-".length))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(numbers.every((n) => n.startsWith("TKT-204001-"))).toBe(true);
  });

  it("walks the partial index support_tickets_queue_idx for the queue's default sort and its keyset", async () => {
    const u = await makeUser();
    const db = await getDb();
    // 20 000 tickets, one in ten still active: the shape of a real history.
    await db.execute(sql`
      insert into support_tickets (ticket_number, user_id, subject, description, category, priority, status, sla_response_due_at, sla_due_at, created_at)
      select 'TKT-203001-' || lpad(g::text, 5, '0'), ${u.id}, 'bulk', 'bulk', 'technical', 'medium',
        case when g % 10 = 0 then 'open' when g % 2 = 0 then 'resolved' else 'closed' end,
        now() + make_interval(mins => g), now() + make_interval(mins => g * 3), now()
      from generate_series(1, 20000) g`);
    await db.execute(sql`analyze support_tickets`);

    const handle = await getDbHandle();
    const { default: postgres } = await import("postgres");
    const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
    try {
      const explain = async (q: { sql: string; params: unknown[] }) => {
        const [row] = await client.unsafe(`explain (format json) ${q.sql}`, q.params as never[]);
        return JSON.stringify(row);
      };
      const actor = systemActor("test");
      const first = staffListQuery(db, actor, { limit: 50 }, { defaultStatus: "active" }).toSQL();
      expect(await explain(first)).toContain("support_tickets_queue_idx");

      const page = await listTickets(actor, { limit: 50 }, { view: "staff", defaultStatus: "active" });
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).toBeTruthy();
      const next = staffListQuery(db, actor, { limit: 50, cursor: page.nextCursor! }, { defaultStatus: "active" }).toSQL();
      expect(await explain(next)).toContain("support_tickets_queue_idx");
      const filtered = staffListQuery(db, actor, { limit: 50, status: "open", priority: "medium" }, {}).toSQL();
      expect(await explain(filtered)).toContain("support_tickets_queue_idx");
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
