import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { auditLog, plans, subscriptions, users } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { createPeer } from "@/lib/services/peers";
import { blockExhaustedQuotas } from "@/lib/services/quota";
import { getQuotaSummary } from "@/lib/dal/quota-summary";
import * as mePlan from "@/app/api/me/plan/route";
import * as adminPlans from "@/app/api/admin/plans/route";
import * as adminPlan from "@/app/api/admin/plans/[id]/route";
import * as adminUserPlan from "@/app/api/admin/users/[id]/plan/route";
import * as agentConfig from "@/app/api/agent/config/route";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

const GB = 1_000_000_000;

async function device(u: Awaited<ReturnType<typeof makeUser>>, serverId: string) {
  return createPeer(u.actor, { serverId, deviceName: `d-${Math.random().toString(36).slice(2, 8)}`, deviceType: "linux" });
}

/** A traffic sample of `bytes` for the user at `at` (what an agent's push leaves behind). */
async function traffic(userId: string, peerId: string, serverId: string, bytes: number, at = new Date()) {
  const db = await getDb();
  await db.execute(sql`insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down)
    values (${peerId}, ${userId}, ${serverId}, ${at.toISOString()}::timestamptz, ${bytes}, 0)`);
}

const patchPlan = (token: string, id: string, body: unknown) => call(adminPlan.PATCH, { method: "PATCH", token, params: { id }, body });

let admin: Awaited<ReturnType<typeof makeUser>>;
let server: Awaited<ReturnType<typeof makeServer>>;

beforeAll(async () => {
  resetEnv({ DEFAULT_DEVICE_LIMIT: "5" });
  admin = await makeUser("admin");
  server = await makeServer({ ipv4Pool: "10.91.0.0/24" });
});

describe("GET /api/me/plan", () => {
  it("answers the plan that applies, devices used of its limit, this month's data and when the month turns", async () => {
    const u = await makeUser();
    const a = await device(u, server.id);
    await device(u, server.id);
    await traffic(u.id, a.id, server.id, 3 * GB);
    // Last month's traffic does not count.
    await traffic(u.id, a.id, server.id, 7 * GB, new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1) - 86_400_000));

    const res = await call(mePlan.GET, { token: u.token });
    expect(res.status).toBe(200);
    expect(res.json.plan).toEqual({ id: "free", name: "Free", deviceLimit: 5, monthlyDataBytes: null, deviceLifetimeDays: null, priceCents: 0 });
    expect(res.json.devicesUsed).toBe(2);
    expect(res.json.dataUsedBytes).toBe(3 * GB);
    const now = new Date();
    expect(res.json.periodResetsAt).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(res.json.pendingRequest).toBeNull();
    expect(res.json.available.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(["free", "basic", "premium"]));
    // The same figures as the devices and usage pages (lib/dal/quota-summary).
    const quota = await getQuotaSummary(u.actor);
    expect(res.json.dataUsedBytes).toBe(quota.bytes);
    expect(res.json.periodResetsAt).toBe(quota.resetsAt);

    // A revoked device no longer counts.
    await call((await import("@/app/api/vpn/peers/[id]/revoke/route")).POST, { token: u.token, params: { id: a.id } });
    expect((await call(mePlan.GET, { token: u.token })).json.devicesUsed).toBe(1);
  });

  it("a plan change by an admin shows at once, with its limits", async () => {
    const u = await makeUser();
    expect((await call(adminUserPlan.POST, { token: admin.token, params: { id: u.id }, body: { planId: "basic" } })).status).toBe(200);
    const res = await call(mePlan.GET, { token: u.token });
    expect(res.json.plan).toMatchObject({ id: "basic", name: "Basic", deviceLimit: 10, priceCents: 499 });
  });
});

describe("admin plans API", () => {
  it("lists, creates and edits plans; only admins; bad values are 400 and a taken id 409", async () => {
    const user = await makeUser();
    expect((await call(adminPlans.GET, { token: user.token })).status).toBe(403);

    const list = await call(adminPlans.GET, { token: admin.token });
    expect(list.status).toBe(200);
    const free = list.json.items.find((p: { id: string }) => p.id === "free");
    expect(free).toMatchObject({ name: "Free", deviceLimit: null, effectiveDeviceLimit: 5, monthlyDataBytes: null, deviceLifetimeDays: null, isDefault: true });
    expect(free.subscribers).toBeGreaterThan(0);

    const created = await call(adminPlans.POST, {
      token: admin.token,
      body: { name: "Family Max", deviceLimit: 8, monthlyDataBytes: 250 * GB, deviceLifetimeDays: 365, priceCents: 1299 },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: "family-max", name: "Family Max", deviceLimit: 8, monthlyDataBytes: 250 * GB, deviceLifetimeDays: 365, priceCents: 1299, subscribers: 0 });
    const again = await call(adminPlans.POST, { token: admin.token, body: { name: "Family Max" } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");

    for (const bad of [{ name: "" }, { name: "X", deviceLimit: 0 }, { name: "X", monthlyDataBytes: 1.5 * GB }, { name: "X", priceCents: -1 }, { name: "X", bogus: 1 }]) {
      const res = await call(adminPlans.POST, { token: admin.token, body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }

    const edited = await patchPlan(admin.token, "family-max", { deviceLimit: 9, monthlyDataBytes: null });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ id: "family-max", deviceLimit: 9, monthlyDataBytes: null, priceCents: 1299 });
    expect((await patchPlan(admin.token, "family-max", {})).status).toBe(400);
    expect((await patchPlan(user.token, "family-max", { deviceLimit: 1 })).status).toBe(403);
    expect((await patchPlan(admin.token, "no-such-plan", { deviceLimit: 1 })).status).toBe(404);

    const db = await getDb();
    const audited = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, "family-max"));
    expect(audited.map((a) => a.action).sort()).toEqual(["plan.created", "plan.updated"]);
  });
});

describe("plan changes reach every subscriber at once", () => {
  it("the device limit is read from the plan when a device is created", async () => {
    const plan = (await call(adminPlans.POST, { token: admin.token, body: { name: "Duo", deviceLimit: 2 } })).json;
    const [a, b] = [await makeUser(), await makeUser()];
    for (const u of [a, b]) await call(adminUserPlan.POST, { token: admin.token, params: { id: u.id }, body: { planId: plan.id } });
    await device(a, server.id);
    await device(a, server.id);
    await expect(device(a, server.id)).rejects.toMatchObject({ code: "device_limit_reached" });

    // Raised: both subscribers may add more at once, without any change to their subscription.
    await patchPlan(admin.token, plan.id, { deviceLimit: 3 });
    await expect(device(a, server.id)).resolves.toMatchObject({ status: "active" });
    expect((await call(mePlan.GET, { token: b.token })).json.plan.deviceLimit).toBe(3);

    // Lowered below what a subscriber has: their devices stay, new ones are refused.
    await patchPlan(admin.token, plan.id, { deviceLimit: 1 });
    await expect(device(b, server.id)).resolves.toMatchObject({ status: "active" });
    await expect(device(b, server.id)).rejects.toMatchObject({ code: "device_limit_reached" });
    const mine = (await call(mePlan.GET, { token: a.token })).json;
    expect([mine.devicesUsed, mine.plan.deviceLimit]).toEqual([3, 1]);
  });

  it("the data allowance is read from the plan by the quota check, and raising it lifts a pause at once", async () => {
    const plan = (await call(adminPlans.POST, { token: admin.token, body: { name: "Tiny data", monthlyDataBytes: 1 * GB } })).json;
    const u = await makeUser();
    await call(adminUserPlan.POST, { token: admin.token, params: { id: u.id }, body: { planId: plan.id } });
    const peer = await device(u, server.id);
    await traffic(u.id, peer.id, server.id, 2 * GB);

    expect((await blockExhaustedQuotas()).blocked).toBeGreaterThanOrEqual(1);
    const db = await getDb();
    const blocked = async () => (await db.select({ until: users.quotaBlockedUntil }).from(users).where(eq(users.id, u.id)))[0]!.until;
    expect(await blocked()).not.toBeNull();
    expect((await call(mePlan.GET, { token: u.token })).json.blockedUntil).not.toBeNull();

    await patchPlan(admin.token, plan.id, { monthlyDataBytes: 5 * GB });
    expect(await blocked()).toBeNull();
    const mine = (await call(mePlan.GET, { token: u.token })).json;
    expect(mine.plan.monthlyDataBytes).toBe(5 * GB);
    expect(mine.blockedUntil).toBeNull();

    // Lowered again under the use: paused by the edit itself, without waiting for a quota check.
    await patchPlan(admin.token, plan.id, { monthlyDataBytes: 1 * GB });
    expect(await blocked()).not.toBeNull();
    expect((await blockExhaustedQuotas()).blocked).toBe(0);
  });

  it("a lowered allowance pauses every subscriber over it at once (out of the agent's config); a raised one brings them back", async () => {
    const plan = (await call(adminPlans.POST, { token: admin.token, body: { name: `Shrinking ${Date.now()}`, monthlyDataBytes: 10 * GB } })).json;
    const other = (await call(adminPlans.POST, { token: admin.token, body: { name: `Other ${Date.now()}`, monthlyDataBytes: 1 * GB } })).json;
    const own = await makeServer({ ipv4Pool: "10.92.0.0/24" });
    const subscriber = async (planId: string, usedBytes: number) => {
      const u = await makeUser();
      await call(adminUserPlan.POST, { token: admin.token, params: { id: u.id }, body: { planId } });
      const peer = await device(u, own.id);
      if (usedBytes) await traffic(u.id, peer.id, own.id, usedBytes);
      return { u, peer };
    };
    // Two heavy users and a light one on the plan; on another plan, a heavy user the quota job has not seen yet.
    const heavy = [await subscriber(plan.id, 3 * GB), await subscriber(plan.id, 4 * GB)];
    const light = await subscriber(plan.id, GB / 2);
    const elsewhere = await subscriber(other.id, 3 * GB);

    const db = await getDb();
    const state = async (userId: string) =>
      (await db.select({ until: users.quotaBlockedUntil, warned100: users.quotaWarned100 }).from(users).where(eq(users.id, userId)))[0]!;
    const version = async () => Number((await rows<{ v: number }>(db, sql`select config_version as v from vpn_servers where id = ${own.id}`))[0]!.v);
    const config = async () => (await call(agentConfig.GET, { token: own.agentToken })).text;
    const pulled = await call(agentConfig.GET, { token: own.agentToken });
    for (const d of [...heavy, light, elsewhere]) expect(pulled.text).toContain(d.peer.publicKey);
    const before = await version();

    const lowered = await patchPlan(admin.token, plan.id, { monthlyDataBytes: 2 * GB });
    expect(lowered.status).toBe(200);
    // At once: the heavy subscribers are paused, their devices out of the server's config, whose version moved on.
    for (const d of heavy) expect((await state(d.u.id)).until).not.toBeNull();
    expect((await call(mePlan.GET, { token: heavy[0]!.u.token })).json.blockedUntil).not.toBeNull();
    expect(await version()).toBeGreaterThan(before);
    const agentSees = await call(agentConfig.GET, { token: own.agentToken, headers: { "if-none-match": pulled.headers.get("etag")! } });
    expect(agentSees.status).toBe(200);
    for (const d of heavy) expect(agentSees.text).not.toContain(d.peer.publicKey);
    // The light subscriber and the other plan's account are untouched.
    expect(agentSees.text).toContain(light.peer.publicKey);
    expect(agentSees.text).toContain(elsewhere.peer.publicKey);
    expect((await state(light.u.id)).until).toBeNull();
    expect((await state(elsewhere.u.id)).until).toBeNull();
    // Told as the quota job tells them, and audited.
    const mails = await rows<{ to_address: string; template: string }>(
      db,
      sql`select to_address, template from email_outbox where template = 'quota_exceeded' and to_address in (${heavy[0]!.u.email}, ${heavy[1]!.u.email}, ${light.u.email})`,
    );
    expect(mails.map((m) => m.to_address).sort()).toEqual([heavy[0]!.u.email, heavy[1]!.u.email].sort());
    const [audit] = await rows<{ metadata: Record<string, unknown> }>(
      db,
      sql`select metadata from audit_log where action = 'plan.updated' and target_id = ${plan.id} order by id desc limit 1`,
    );
    expect(audit!.metadata).toMatchObject({ quotaPaused: 2, quotaResumed: 0 });
    for (const d of heavy) {
      const [b] = await rows(db, sql`select 1 from audit_log where action = 'quota.blocked' and target_id = ${d.u.id}`);
      expect(b).toBeTruthy();
    }

    // Editing something else does not pause or release anyone again.
    const unchanged = await version();
    await patchPlan(admin.token, plan.id, { name: `${plan.name} renamed` });
    expect(await version()).toBe(unchanged);

    // Raised above one heavy subscriber's use: that one is back at once, the other stays paused.
    await patchPlan(admin.token, plan.id, { monthlyDataBytes: 4 * GB });
    expect((await state(heavy[0]!.u.id)).until).toBeNull();
    expect((await state(heavy[1]!.u.id)).until).not.toBeNull();
    let text = await config();
    expect(text).toContain(heavy[0]!.peer.publicKey);
    expect(text).not.toContain(heavy[1]!.peer.publicKey);

    // Unlimited: everyone is back.
    const beforeRaise = await version();
    await patchPlan(admin.token, plan.id, { monthlyDataBytes: null });
    for (const d of heavy) expect(await state(d.u.id)).toEqual({ until: null, warned100: null });
    expect(await version()).toBeGreaterThan(beforeRaise);
    text = await config();
    for (const d of [...heavy, light, elsewhere]) expect(text).toContain(d.peer.publicKey);
  });

  it("the default plan's allowance reaches accounts without a live subscription too", async () => {
    const own = await makeServer({ ipv4Pool: "10.93.0.0/24" });
    const u = await makeUser();
    const db = await getDb();
    // No live subscription: the default plan (Free) applies.
    await db.update(subscriptions).set({ status: "cancelled" }).where(eq(subscriptions.userId, u.id));
    const peer = await device(u, own.id);
    await traffic(u.id, peer.id, own.id, 2 * GB);
    const blocked = async () => (await db.select({ until: users.quotaBlockedUntil }).from(users).where(eq(users.id, u.id)))[0]!.until;
    try {
      expect((await patchPlan(admin.token, "free", { monthlyDataBytes: 1 * GB })).status).toBe(200);
      expect(await blocked()).not.toBeNull();
      expect((await call(agentConfig.GET, { token: own.agentToken })).text).not.toContain(peer.publicKey);
    } finally {
      expect((await patchPlan(admin.token, "free", { monthlyDataBytes: null })).status).toBe(200);
    }
    expect(await blocked()).toBeNull();
    expect((await call(agentConfig.GET, { token: own.agentToken })).text).toContain(peer.publicKey);
  });

  it("a new price is copied onto every live subscription of the plan, not onto cancelled ones", async () => {
    const plan = (await call(adminPlans.POST, { token: admin.token, body: { name: "Priced", priceCents: 100 } })).json;
    const [a, b] = [await makeUser(), await makeUser()];
    for (const u of [a, b]) await call(adminUserPlan.POST, { token: admin.token, params: { id: u.id }, body: { planId: plan.id } });
    const db = await getDb();
    await db.update(subscriptions).set({ status: "cancelled" }).where(eq(subscriptions.userId, b.id));
    expect((await patchPlan(admin.token, plan.id, { priceCents: 250 })).json.priceCents).toBe(250);
    const prices = await rows<{ user_id: string; price_cents: number }>(db, sql`select user_id, price_cents from subscriptions where plan_id = ${plan.id}`);
    expect(Object.fromEntries(prices.map((p) => [p.user_id, Number(p.price_cents)]))).toEqual({ [a.id]: 250, [b.id]: 100 });
    const [row] = await db.select({ price: plans.priceCents }).from(plans).where(eq(plans.id, plan.id));
    expect(row!.price).toBe(250);
  });
});
