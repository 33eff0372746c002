import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { benchAgentQueuePage, benchSlaMonitor } from "@/lib/services/support/bench";
import { scanAllUsers, scanUserByUser } from "@/lib/services/abuse";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import { getAdminDashboard } from "@/lib/dal/analytics";
import { synth } from "../synth";
import type { BenchCase } from "../harness";
import { medianMs, timeIt } from "../harness";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The agent queue (one page, sorted by SLA, on its partial index) and the SLA monitor over many tickets. */
export const supportCase: BenchCase = {
  name: "support queue",
  async run(ctx) {
    const n = ctx.scale(100_000, 2_000);
    const db = await getDb();
    const [owner] = await rows<{ id: string }>(db, sql`insert into users (email) values (${`queue-${Date.now()}@bench.test`}) returning id`);
    await db.execute(sql`
      insert into support_tickets (ticket_number, user_id, subject, description, category, priority, status, sla_response_due_at, sla_due_at, created_at)
      select 'TKT-BENCH-' || ${Date.now().toString(36)} || '-' || i, ${owner!.id}, 'Bench', 'Bench ticket', 'technical',
        (array['low','medium','high','urgent'])[1 + i % 4], (array['open','in_progress','waiting_support','resolved'])[1 + i % 4],
        now() + make_interval(mins => (i % 5000) - 1000), now() + make_interval(mins => (i % 9000) - 500), now() - make_interval(mins => i % 10000)
      from generate_series(1, ${n}::int) i`);
    const page = await medianMs(10, () => benchAgentQueuePage());
    const monitor = await timeIt(() => benchSlaMonitor());
    return [
      { case: `agent queue page over ${n} tickets`, db: ctx.db, value: page, unit: "ms", target: "< 50 ms", met: page < 50 },
      { case: `SLA monitor over ${n} tickets`, db: ctx.db, value: monitor, unit: "ms", note: "first run flags every overdue ticket" },
    ];
  },
};

/** Abuse scan over a day of telemetry: set-based against the seed's user-by-user design; then the rollups and the dashboard query. */
export const analyticsCase: BenchCase = {
  name: "abuse and rollups",
  async run(ctx) {
    const users = ctx.scale(100_000, 300);
    const days = ctx.scale(30, 3);
    await synth(users, days, { snapshots: 0 });
    const scan = await timeIt(() => scanAllUsers());
    const baseline = ctx.quick || ctx.db === "pglite" ? await timeIt(() => scanUserByUser()) : null;
    const now = new Date();
    const rollup = await timeIt(async () => {
      await rollupDailyUsage(day(new Date(now.getTime() - (days + 1) * 86_400_000)), day(new Date(now.getTime() + 86_400_000)));
      await rollupUserStats();
      await snapshotSystemMetrics(now);
    });
    const dashboard = await medianMs(5, () => getAdminDashboard({ kind: "user", id: "bench", email: "bench", role: "admin", status: "active" }));
    return [
      { case: `abuse scan, ${users} users, one day of telemetry`, db: ctx.db, value: scan, unit: "ms", baseline: baseline === null ? undefined : { label: "user by user", value: baseline }, target: "< 10 s, ≥ 20x the per-user baseline", met: scan < 10_000 && (baseline === null || baseline / scan >= 20) },
      { case: `rollups, ${users} users, ${days} days`, db: ctx.db, value: rollup / 1000, unit: "s", target: "< 60 s", met: rollup < 60_000 },
      { case: `admin dashboard query, ${users} users`, db: ctx.db, value: dashboard, unit: "ms", note: "server time of the data the page reads" },
    ];
  },
};
