import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { supportTickets } from "@/db/schema";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "@/db/schema/support";
import { getSlaTargets, listTickets } from "@/lib/services/support";
import { dueTimesFor, slaView } from "@/lib/support/sla";
import { makeUser } from "../support/factories";

const H = 3_600_000;

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

describe("read-time SLA state: the SQL filters and the pure function agree", () => {
  it("on 300 tickets in every status, priority, pause and response combination", async () => {
    const u = await makeUser();
    const staff = await makeUser("agent");
    const now = new Date(Date.UTC(2035, 2, 1, 12));
    const rand = rng(42);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const targets = getSlaTargets();
    const values = Array.from({ length: 300 }, (_, i) => {
      const priority = pick(TICKET_PRIORITIES);
      const status = pick(TICKET_STATUSES);
      const createdAt = new Date(now.getTime() - rand() * 200 * H);
      const paused = rand() < 0.5 ? Math.floor(rand() * 30 * 3600) : 0;
      const due = dueTimesFor(createdAt, priority, paused, targets);
      const stopped = status === "waiting_user" || status === "resolved" || status === "closed" ? rand() < 0.9 : rand() < 0.05;
      const firstResponseAt = rand() < 0.6 ? new Date(createdAt.getTime() + rand() * 60 * H) : null;
      return {
        ticketNumber: `TKT-203503-${String(i + 1).padStart(5, "0")}`,
        userId: u.id,
        subject: `case ${i}`,
        description: "generated",
        category: "technical" as const,
        priority,
        status,
        slaResponseDueAt: due.slaResponseDueAt,
        slaDueAt: due.slaDueAt,
        slaPausedSeconds: paused,
        slaPausedAt: stopped ? new Date(createdAt.getTime() + rand() * 150 * H) : null,
        firstResponseAt: firstResponseAt && firstResponseAt < now ? firstResponseAt : null,
        slaBreached: rand() < 0.1,
        slaResponseBreached: rand() < 0.1,
        createdAt,
        updatedAt: createdAt,
      };
    });
    const db = await getDb();
    await db.insert(supportTickets).values(values);

    const all = async (sla?: "breached" | "due_soon") => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await listTickets(staff.actor, { status: "all", sla, limit: 200, cursor }, { now });
        ids.push(...page.items.map((t) => t.id));
        if (!page.nextCursor) return { ids: new Set(ids), items: page.items };
        cursor = page.nextCursor;
      }
    };
    const everything = await listTickets(staff.actor, { status: "all", limit: 200 }, { now });
    const rest = await listTickets(staff.actor, { status: "all", limit: 200, cursor: everything.nextCursor! }, { now });
    const tickets = [...everything.items, ...rest.items];
    expect(tickets).toHaveLength(300);

    const breached = (await all("breached")).ids;
    const dueSoon = (await all("due_soon")).ids;
    const mismatches: string[] = [];
    for (const t of tickets) {
      const state = slaView(t, now, targets).state;
      if ((state === "breached") !== breached.has(t.id)) mismatches.push(`${t.subject}: ${state} vs sql breached=${breached.has(t.id)}`);
      if ((state === "due_soon") !== dueSoon.has(t.id)) mismatches.push(`${t.subject}: ${state} vs sql due_soon=${dueSoon.has(t.id)}`);
      expect(t.slaState).toBe(state);
    }
    expect(mismatches).toEqual([]);
    // The generator covers the interesting states.
    const states = new Set(tickets.map((t) => t.slaState));
    for (const s of ["breached", "due_soon", "on_track", "paused", "stopped"]) expect(states).toContain(s);
  });
});
