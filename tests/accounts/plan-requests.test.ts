import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { auditLog, planChangeRequests } from "@/db/schema";
import { decidePlanRequest, requestPlanChange } from "@/lib/services/plan-requests";
import * as mePlan from "@/app/api/me/plan/route";
import * as myRequests from "@/app/api/me/plan/requests/route";
import * as adminRequests from "@/app/api/admin/plan-requests/route";
import * as approve from "@/app/api/admin/plan-requests/[id]/approve/route";
import * as reject from "@/app/api/admin/plan-requests/[id]/reject/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

/** PGlite runs one transaction at a time and would hide races: those run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

const ask = (token: string, planId: string) => call(myRequests.POST, { token, body: { planId } });
const planOf = async (token: string) => (await call(mePlan.GET, { token })).json.plan.id as string;

async function pendingCount(userId: string) {
  const db = await getDb();
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from plan_change_requests where user_id = ${userId} and status = 'pending'`);
  return Number(r!.n);
}

describe("plan change requests", () => {
  it("a user asks for a plan; a second request while one is pending is 409; cancelling allows another", async () => {
    const u = await makeUser();
    const first = await ask(u.token, "premium");
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ userId: u.id, fromPlanId: "free", fromPlanName: "Free", toPlanId: "premium", toPlanName: "Premium", status: "pending", decidedAt: null });
    expect((await call(mePlan.GET, { token: u.token })).json.pendingRequest).toMatchObject({ id: first.json.id, toPlanId: "premium" });

    const second = await ask(u.token, "basic");
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe("conflict");
    expect(await pendingCount(u.id)).toBe(1);

    expect((await call(myRequests.DELETE, { method: "DELETE", token: u.token })).status).toBe(204);
    expect((await call(myRequests.DELETE, { method: "DELETE", token: u.token })).status).toBe(204);
    expect((await call(mePlan.GET, { token: u.token })).json.pendingRequest).toBeNull();
    expect((await ask(u.token, "basic")).status).toBe(201);
    const mine = await call(myRequests.GET, { token: u.token });
    expect(mine.json.items.map((r: { toPlanId: string; status: string }) => `${r.toPlanId}:${r.status}`)).toEqual(["basic:pending", "premium:cancelled"]);
  });

  it("refuses the plan one is on (409) and an unknown plan (400)", async () => {
    const u = await makeUser();
    expect((await ask(u.token, "free")).status).toBe(409);
    const unknown = await ask(u.token, "no-such-plan");
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toEqual([{ path: "planId", message: "Unknown plan" }]);
    expect((await ask(u.token, "bad id!")).status).toBe(400);
  });

  it("admins see pending requests oldest first; approving moves the user to the plan, as the console's plan change does", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const admin = await makeUser("admin");
    const ra = (await ask(a.token, "premium")).json;
    const rb = (await ask(b.token, "basic")).json;

    expect((await call(adminRequests.GET, { token: a.token })).status).toBe(403);
    const list = await call(adminRequests.GET, { token: admin.token, path: "/api/admin/plan-requests?status=pending" });
    expect(list.status).toBe(200);
    const ids = list.json.items.map((r: { id: string }) => r.id);
    expect(ids.indexOf(ra.id)).toBeLessThan(ids.indexOf(rb.id));
    expect(list.json.items.find((r: { id: string }) => r.id === ra.id)).toMatchObject({ userEmail: a.email, toPlanName: "Premium" });

    const approved = await call(approve.POST, { token: admin.token, params: { id: ra.id }, body: { note: "Welcome aboard" } });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: "approved", note: "Welcome aboard", decidedById: admin.id });
    expect(await planOf(a.token)).toBe("premium");
    expect((await call(mePlan.GET, { token: a.token })).json.plan.deviceLimit).toBe(20);

    const rejected = await call(reject.POST, { token: admin.token, params: { id: rb.id }, body: { note: "Not for now" } });
    expect(rejected.json).toMatchObject({ status: "rejected", note: "Not for now" });
    expect(await planOf(b.token)).toBe("free");

    // Decided once: a second decision is 409, and changes nothing.
    const again = await call(reject.POST, { token: admin.token, params: { id: ra.id }, body: {} });
    expect(again.status).toBe(409);
    expect(await planOf(a.token)).toBe("premium");
    expect((await call(approve.POST, { token: admin.token, params: { id: "00000000-0000-0000-0000-000000000000" }, body: {} })).status).toBe(404);

    const db = await getDb();
    const audit = await db.select({ action: auditLog.action, metadata: auditLog.metadata }).from(auditLog).where(eq(auditLog.targetId, a.id));
    expect(audit.find((x) => x.action === "account.plan_changed")?.metadata).toMatchObject({ planId: "premium", requestId: ra.id });
    const [row] = await db.select().from(planChangeRequests).where(eq(planChangeRequests.id, ra.id));
    expect(row!.decidedAt).not.toBeNull();
  });

  it("a withdrawn request can no longer be approved", async () => {
    const u = await makeUser();
    const admin = await makeUser("admin");
    const r = (await ask(u.token, "premium")).json;
    await call(myRequests.DELETE, { method: "DELETE", token: u.token });
    expect((await call(approve.POST, { token: admin.token, params: { id: r.id }, body: {} })).status).toBe(409);
    expect(await planOf(u.token)).toBe("free");
  });
});

describe.skipIf(!onPostgres)("plan change requests under concurrency (PostgreSQL)", () => {
  it("ten simultaneous requests of one user: one is recorded, the others are 409", async () => {
    const u = await makeUser();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => requestPlanChange(u.actor, i % 2 ? "basic" : "premium")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("conflict");
    expect(await pendingCount(u.id)).toBe(1);
  });

  it("two admins approving and rejecting one request at once: one decision wins, the plan matches it", async () => {
    for (let round = 0; round < 5; round++) {
      const u = await makeUser();
      const [x, y] = [await makeUser("admin"), await makeUser("admin")];
      const r = await requestPlanChange(u.actor, "premium");
      const results = await Promise.allSettled([decidePlanRequest(x.actor, r.id, "approve"), decidePlanRequest(y.actor, r.id, "reject")]);
      const won = results.filter((p): p is PromiseFulfilledResult<Awaited<ReturnType<typeof decidePlanRequest>>> => p.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const p of results) if (p.status === "rejected") expect(p.reason.code).toBe("conflict");
      expect(await planOf(u.token)).toBe(won[0]!.value.status === "approved" ? "premium" : "free");
    }
  });
});
