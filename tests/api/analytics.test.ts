import { describe, expect, it } from "vitest";
import * as me from "@/app/api/analytics/me/route";
import * as stats from "@/app/api/admin/stats/route";
import * as report from "@/app/api/admin/users/[id]/report/route";
import * as status from "@/app/api/admin/users/[id]/status/route";
import * as plan from "@/app/api/admin/users/[id]/plan/route";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

describe("analytics and admin API", () => {
  it("GET /api/analytics/me answers the caller's stats and daily metrics, and validates days", async () => {
    const u = await makeUser();
    await rollupUserStats({ userId: u.id });
    const res = await call(me.GET, { token: u.token, path: "/api/analytics/me?days=7" });
    expect(res.status).toBe(200);
    expect(res.json.stats).toMatchObject({ userId: u.id, totalConnections: 0, currentTier: "free" });
    expect(res.json.daily).toEqual([]);
    expect((await call(me.GET, { token: u.token, path: "/api/analytics/me?days=0" })).status).toBe(400);
    expect((await call(me.GET, { path: "/api/analytics/me" })).status).toBe(401);
  });

  it("admin stats, user report, status and plan changes are admin-only", async () => {
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const u = await makeUser();
    await snapshotSystemMetrics();
    expect((await call(stats.GET, { token: agent.token })).status).toBe(403);
    const s = await call(stats.GET, { token: admin.token });
    expect(s.status).toBe(200);
    expect(s.json.latest).toMatchObject({ totalUsers: expect.any(Number), mrrCents: expect.any(Number) });
    expect(Object.keys(s.json)).toEqual(expect.arrayContaining(["latest", "history", "topUsersByData", "topUsersByConnections", "servers", "revenue"]));

    const r = await call(report.GET, { token: admin.token, params: { id: u.id } });
    expect(r.status).toBe(200);
    expect(r.json.user).toMatchObject({ id: u.id, email: u.email, role: "user", status: "active" });
    expect(r.json.accountHealth).toMatchObject({ status: "good", activeDevices: 0 });
    expect(r.json.subscription).toMatchObject({ planId: "free", status: "active" });
    expect(r.text).not.toMatch(/password|hash/i);
    expect((await call(report.GET, { token: admin.token, params: { id: "nope" } })).status).toBe(404);
    expect((await call(report.GET, { token: u.token, params: { id: u.id } })).status).toBe(403);

    const noReason = await call(status.POST, { token: admin.token, params: { id: u.id }, body: { status: "suspended" } });
    expect(noReason.status).toBe(400);
    const suspended = await call(status.POST, { token: admin.token, params: { id: u.id }, body: { status: "suspended", reason: "chargeback" } });
    expect(suspended.json).toMatchObject({ id: u.id, status: "suspended" });
    expect((await call(status.POST, { token: admin.token, params: { id: u.id }, body: { status: "gone" } })).status).toBe(400);
    // The service refuses an admin's own account, whichever door asks.
    const self = await call(status.POST, { token: admin.token, params: { id: admin.id }, body: { status: "suspended", reason: "me" } });
    expect(self.status).toBe(403);

    const moved = await call(plan.POST, { token: admin.token, params: { id: u.id }, body: { planId: "premium" } });
    expect(moved.json).toEqual({ planId: "premium" });
    expect((await call(plan.POST, { token: admin.token, params: { id: u.id }, body: { planId: "platinum" } })).status).toBe(400);
    const after = await call(report.GET, { token: admin.token, params: { id: u.id } });
    expect(after.json.subscription).toMatchObject({ planId: "premium", priceCents: 999 });
  });

  it("the dashboard's revenue counts live subscriptions per plan, and its top users are the largest by data and by connections", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeUser(), await makeUser()];
    const db = await getDb();
    await db.execute(sql`update subscriptions set status = 'cancelled' where user_id = ${b.id}`);
    await rollupUserStats();
    await db.execute(sql`update user_usage_stats set total_bytes_uploaded = 7e15, total_bytes_downloaded = 1, total_connections = 1 where user_id = ${a.id}`);
    await db.execute(sql`update user_usage_stats set total_bytes_uploaded = 0, total_bytes_downloaded = 0, total_connections = 900000 where user_id = ${b.id}`);
    const s = await call(stats.GET, { token: admin.token });
    const expected = await rows<{ planId: string; n: number; mrr: number }>(
      db,
      sql`select pl.id as "planId", count(su.id)::int as n, coalesce(sum(su.price_cents), 0)::int as mrr
          from plans pl left join subscriptions su on su.plan_id = pl.id and su.status <> 'cancelled' group by pl.id`,
    );
    for (const e of expected) expect(s.json.revenue.byPlan).toContainEqual(expect.objectContaining({ planId: e.planId, activeSubscriptions: e.n, mrrCents: e.mrr }));
    expect(s.json.topUsersByData[0]).toMatchObject({ userId: a.id, bytes: 7e15 + 1 });
    expect(s.json.topUsersByConnections[0]).toMatchObject({ userId: b.id, connections: 900000 });
  });
});
