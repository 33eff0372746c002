import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, userThrottles, vpnServers } from "@/db/schema";
import * as agentConfigRoute from "@/app/api/agent/config/route";
import * as throttleRoute from "@/app/api/admin/users/[id]/throttle/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { expiryJob } from "@/lib/jobs/expiry";
import { getUserThrottles } from "@/lib/dal/abuse-throttles";
import { getIncidentDetail } from "@/lib/dal/abuse";
import { createPeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { expireThrottles, liftThrottle, throttleUser } from "@/lib/services/throttle";
import { runAllChecks } from "@/lib/services/abuse/scan";
import { reportIncident } from "@/lib/services/abuse/reports";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";
import { MIN, addSample, ago, freshNow, incidentsOf, makeSubject, setThresholds } from "./fixtures";

const HOUR_MS = 3_600_000;
const THROTTLE_LINE = /^# securewave: throttle (\S+)\/32 (\S+)\/128 (\d+) (\d+)$/gm;

let admin: Awaited<ReturnType<typeof makeUser>>;
let server: Awaited<ReturnType<typeof makeServer>>;

beforeAll(async () => {
  setThresholds();
  admin = await makeUser("admin");
  server = await makeServer();
});

/** A user with `devices` devices on the shared server. */
async function subject(devices = 2) {
  const user = await makeUser();
  const peers = [];
  for (let i = 0; i < devices; i++) peers.push(await createPeer(user.actor, { serverId: server.id, deviceName: `dev-${i}`, deviceType: "linux" }));
  return { user, peers };
}

/** The agent's pull through its route, as the shipped agent does it (ETag in If-None-Match). */
async function pull(etag: string | null = null) {
  const res = await call(agentConfigRoute.GET as never, { token: server.agentToken, path: "/api/agent/config", headers: etag ? { "if-none-match": etag } : {} });
  return { status: res.status, etag: res.headers.get("etag")!, text: res.text };
}

function throttleLines(text: string) {
  return [...text.matchAll(THROTTLE_LINE)].map((m) => ({ ipv4: m[1], ipv6: m[2], rateKbit: Number(m[3]), until: Number(m[4]) }));
}

async function configVersion() {
  const [r] = await (await getDb()).select({ v: vpnServers.configVersion }).from(vpnServers).where(eq(vpnServers.id, server.id));
  return Number(r.v);
}

async function openThrottles(userId: string) {
  return (await getDb()).select().from(userThrottles).where(and(eq(userThrottles.userId, userId), isNull(userThrottles.liftedAt)));
}

async function auditOf(userId: string) {
  return (await getDb())
    .select({ action: auditLog.action, actorKind: auditLog.actorKind, actorId: auditLog.actorId, metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, userId), sql`${auditLog.action} like 'abuse.%'`))
    .orderBy(auditLog.id);
}

/** Lets time pass for a throttle: its end lies in the past, without touching the config version — as real time would not. */
async function endsAgo(userId: string, seconds = 1) {
  await (await getDb())
    .update(userThrottles)
    .set({ until: sql`now() - make_interval(secs => ${seconds})`, startsAt: sql`now() - interval '1 hour'` })
    .where(and(eq(userThrottles.userId, userId), isNull(userThrottles.liftedAt)));
}

describe("POST /api/admin/users/:id/throttle", () => {
  it("answers 201 {until}; every device's addresses reach its server's config, the ETag changes, and the peer shows the throttle", async () => {
    const { user, peers } = await subject(2);
    const bystander = await subject(1);
    const before = await pull();
    expect(throttleLines(before.text)).toEqual([]);
    const version = await configVersion();

    const started = Date.now();
    const res = await call(throttleRoute.POST as never, { token: admin.token, params: { id: user.id }, body: { rateKbit: 2000, hours: 2 } });
    expect(res.status, res.text).toBe(201);
    const until = new Date(res.json.until).getTime();
    expect(until).toBeGreaterThanOrEqual(started + 2 * HOUR_MS - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 2 * HOUR_MS);
    expect(res.json).toMatchObject({ rateKbit: 2000, userId: user.id, incidentId: null });
    expect(await configVersion()).toBeGreaterThan(version);

    // The agent's conditional pull gets the new config: its ETag is stale.
    const during = await pull(before.etag);
    expect(during.status).toBe(200);
    expect(during.etag).not.toBe(before.etag);
    const lines = throttleLines(during.text);
    expect(lines).toEqual(
      peers.map((p) => ({ ipv4: p.ipv4, ipv6: p.ipv6, rateKbit: 2000, until: Math.ceil(until / 1000) })),
    );
    expect(during.text).not.toContain(bystander.peers[0].ipv4 + "/32 ");
    // Still a config `wg` reads: the throttle lines are comments between the interface and the peers.
    expect(during.text).toMatch(/^\[Interface\]\nPrivateKey = .+\nListenPort = \d+\n# securewave: mtu=\d+\n(# securewave: throttle .+\n)+\n\[Peer\]/);

    for (const p of peers) {
      const peer = await call(peerRoute.GET as never, { token: user.token, params: { id: p.id } });
      expect(peer.json.throttle).toEqual({ rateKbit: 2000, until: res.json.until });
    }
    const other = await call(peerRoute.GET as never, { token: bystander.user.token, params: { id: bystander.peers[0].id } });
    expect(other.json.throttle).toBeNull();

    const state = await getUserThrottles(admin.actor, user.id);
    expect(state.current).toMatchObject({ rateKbit: 2000, createdBy: admin.email, liftedAt: null, active: true });
    expect((await auditOf(user.id)).map((a) => [a.action, a.actorId])).toEqual([["abuse.throttled", admin.id]]);
  });

  it("a new throttle replaces the one in force: one open row, the old one lifted by the admin who replaced it", async () => {
    const { user } = await subject(1);
    const first = await throttleUser(admin.actor, user.id, { rateKbit: 5000, hours: 1 });
    const second = await throttleUser(admin.actor, user.id, { rateKbit: 1000, hours: 3, reason: "Still heavy" });
    const open = await openThrottles(user.id);
    expect(open.map((t) => t.id)).toEqual([second.id]);
    const { history } = await getUserThrottles(admin.actor, user.id);
    expect(history.map((h) => [h.id, h.active, h.liftedBy])).toEqual([
      [second.id, true, null],
      [first.id, false, admin.email],
    ]);
    expect(throttleLines((await pull()).text).filter((l) => l.rateKbit === 5000)).toEqual([]);
    expect((await auditOf(user.id)).at(-1)).toMatchObject({ action: "abuse.throttled", metadata: { replaced: first.id, rateKbit: 1000, note: "Still heavy" } });
  });

  it("covers the old addresses of a device in its rotation's grace period", async () => {
    const { user, peers } = await subject(1);
    const rotated = await rotatePeer(user.actor, peers[0].id);
    await throttleUser(admin.actor, user.id, { rateKbit: 800, hours: 1 });
    const mine = throttleLines((await pull()).text).filter((l) => l.rateKbit === 800);
    expect(mine.map((l) => l.ipv4).sort()).toEqual([peers[0].ipv4, rotated.ipv4].sort());
  });

  it("refuses bad rates and durations with 400, users and agents with 403, and an unknown user with 404", async () => {
    const { user } = await subject(1);
    for (const body of [{ rateKbit: 7, hours: 1 }, { rateKbit: 10_000_001, hours: 1 }, { rateKbit: 100, hours: 0 }, { rateKbit: 100, hours: 721 }, { rateKbit: 1.5, hours: 1 }, { hours: 1 }, { rateKbit: 100, hours: 1, extra: 1 }]) {
      const res = await call(throttleRoute.POST as never, { token: admin.token, params: { id: user.id }, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    const agent = await makeUser("agent");
    for (const who of [user, agent]) {
      expect((await call(throttleRoute.POST as never, { token: who.token, params: { id: user.id }, body: { rateKbit: 100, hours: 1 } })).status).toBe(403);
      expect((await call(throttleRoute.DELETE as never, { method: "DELETE", token: who.token, params: { id: user.id } })).status).toBe(403);
    }
    const unknown = "00000000-0000-0000-0000-000000000000";
    expect((await call(throttleRoute.POST as never, { token: admin.token, params: { id: unknown }, body: { rateKbit: 100, hours: 1 } })).status).toBe(404);
    expect((await call(throttleRoute.DELETE as never, { method: "DELETE", token: admin.token, params: { id: unknown } })).status).toBe(404);
    expect(await openThrottles(user.id)).toEqual([]);
  });

  it("links an incident of that user only", async () => {
    const { user } = await subject(1);
    const other = await subject(1);
    const incident = await reportIncident(admin.actor, { userId: other.user.id, type: "account_sharing", severity: "high", description: "Shared" });
    const res = await call(throttleRoute.POST as never, { token: admin.token, params: { id: user.id }, body: { rateKbit: 100, hours: 1, incidentId: incident.id } });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([{ path: "incidentId", message: expect.any(String) }]);
  });
});

describe("DELETE /api/admin/users/:id/throttle", () => {
  it("lifts it at once: 204, out of the config (a new ETag), null on the peer, lifted by whom in the history and the incident's", async () => {
    const { user, peers } = await subject(1);
    const incident = await reportIncident(admin.actor, { userId: user.id, type: "excessive_bandwidth", severity: "high", description: "10 TB today" });
    await throttleUser(admin.actor, user.id, { rateKbit: 300, hours: 5, incidentId: incident.id });
    const during = await pull();
    expect(throttleLines(during.text).map((l) => l.ipv4)).toContain(peers[0].ipv4);

    const res = await call(throttleRoute.DELETE as never, { method: "DELETE", token: admin.token, params: { id: user.id } });
    expect(res.status).toBe(204);
    const after = await pull(during.etag);
    expect(after.status).toBe(200);
    expect(throttleLines(after.text).map((l) => l.ipv4)).not.toContain(peers[0].ipv4);
    expect((await call(peerRoute.GET as never, { token: user.token, params: { id: peers[0].id } })).json.throttle).toBeNull();

    const { current, history } = await getUserThrottles(admin.actor, user.id);
    expect(current).toBeNull();
    expect(history[0]).toMatchObject({ active: false, liftedBy: admin.email, incidentId: incident.id });
    expect((await auditOf(user.id)).map((a) => a.action)).toEqual(["abuse.throttled", "abuse.throttle_lifted"]);
    const detail = await getIncidentDetail(admin.actor, incident.id);
    expect(detail.history.map((h) => [h.action, h.actorEmail, h.rateKbit])).toEqual([
      ["abuse.reported", admin.email, null],
      ["abuse.throttled", admin.email, 300],
      ["abuse.throttle_lifted", admin.email, 300],
    ]);

    // Lifting again changes nothing and records nothing.
    expect((await call(throttleRoute.DELETE as never, { method: "DELETE", token: admin.token, params: { id: user.id } })).status).toBe(204);
    expect(await liftThrottle(admin.actor, user.id)).toBeNull();
    expect((await auditOf(user.id)).map((a) => a.action)).toEqual(["abuse.throttled", "abuse.throttle_lifted"]);
  });
});

describe("throttle expiry", () => {
  it("leaves the config as soon as `until` passes, before the job; the job then records its end once and bumps the servers", async () => {
    const { user, peers } = await subject(1);
    await throttleUser(admin.actor, user.id, { rateKbit: 400, hours: 1 });
    const during = await pull();
    expect(throttleLines(during.text).map((l) => l.ipv4)).toContain(peers[0].ipv4);
    expect((await pull(during.etag)).status).toBe(304);

    await endsAgo(user.id);
    const version = await configVersion();
    // Before any job: the agent's conditional pull is answered with the config without it, not a 304.
    const ended = await pull(during.etag);
    expect(ended.status).toBe(200);
    expect(throttleLines(ended.text).map((l) => l.ipv4)).not.toContain(peers[0].ipv4);
    expect(await configVersion()).toBe(version);
    expect((await call(peerRoute.GET as never, { token: user.token, params: { id: peers[0].id } })).json.throttle).toBeNull();
    expect((await getUserThrottles(admin.actor, user.id)).current).toBeNull();
    // Rebuilt, the same config: its own ETag is a 304 again.
    expect((await pull(ended.etag)).status).toBe(304);

    const run = await executeJob(expiryJob, { trigger: "manual", runner: "embedded" });
    await waitForInFlightRuns();
    expect(run).toMatchObject({ status: "succeeded" });
    expect(run!.counts.throttlesEnded).toBeGreaterThanOrEqual(1);
    expect(await configVersion()).toBeGreaterThan(version);
    const [row] = await (await getDb()).select().from(userThrottles).where(eq(userThrottles.userId, user.id));
    expect(row.liftedAt).not.toBeNull();
    expect(row.liftedAt!.getTime()).toBe(row.until.getTime());
    expect(row.liftedById).toBeNull();
    expect((await auditOf(user.id)).map((a) => [a.action, a.actorKind])).toEqual([
      ["abuse.throttled", "user"],
      ["abuse.throttle_expired", "system"],
    ]);
    expect(await expireThrottles()).toEqual({ expired: 0, servers: 0 });
    expect((await getUserThrottles(admin.actor, user.id)).history[0]).toMatchObject({ active: false, liftedBy: null });
  });

  it("an ended throttle not yet recorded does not block a new one", async () => {
    const { user } = await subject(1);
    const old = await throttleUser(admin.actor, user.id, { rateKbit: 400, hours: 1 });
    await endsAgo(user.id, 60);
    const next = await throttleUser(admin.actor, user.id, { rateKbit: 100, hours: 1 });
    const { history } = await getUserThrottles(admin.actor, user.id);
    expect(history.map((h) => [h.id, h.active, h.liftedBy])).toEqual([
      [next.id, true, null],
      [old.id, false, null],
    ]);
    expect((await auditOf(user.id)).at(-1)?.metadata).toMatchObject({ replaced: null });
  });
});

describe("the automatic throttle (ABUSE_AUTO_THROTTLE)", () => {
  it("throttles on a high excessive_bandwidth incident, once, linked to it, and never overrides a throttle in force", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1", ABUSE_AUTO_THROTTLE: "excessive_bandwidth", ABUSE_AUTO_THROTTLE_KBIT: "750", ABUSE_AUTO_THROTTLE_HOURS: "6" });
    try {
      const now = freshNow();
      const heavy = await makeSubject();
      await addSample(heavy, ago(now, 10 * MIN), 2e9, 1e9);
      const managed = await makeSubject();
      await addSample(managed, ago(now, 10 * MIN), 2e9, 1e9);
      await throttleUser(admin.actor, managed.user.id, { rateKbit: 64, hours: 48 });

      const before = Date.now();
      expect((await runAllChecks(heavy.user.id, { now })).throttled).toBe(1);
      expect((await runAllChecks(managed.user.id, { now })).throttled).toBe(0);
      const [incident] = await incidentsOf(heavy.user.id);
      const [auto] = await openThrottles(heavy.user.id);
      expect(auto).toMatchObject({ rateKbit: 750, incidentId: incident.id, createdById: null });
      expect(auto.until.getTime() - auto.startsAt.getTime()).toBe(6 * HOUR_MS);
      expect(auto.startsAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect((await openThrottles(managed.user.id)).map((t) => t.rateKbit)).toEqual([64]);
      expect((await auditOf(heavy.user.id)).map((a) => [a.action, a.actorKind, a.metadata?.incidentId])).toEqual([["abuse.auto_throttled", "system", incident.id]]);
      expect((await getIncidentDetail(admin.actor, incident.id)).history.map((h) => h.action)).toEqual(["abuse.auto_throttled"]);
      // The incident stays open: the next scan adds neither an incident nor a throttle.
      expect((await runAllChecks(heavy.user.id, { now })).throttled).toBe(0);
      expect(await openThrottles(heavy.user.id)).toHaveLength(1);
    } finally {
      setThresholds();
    }
  });
});

/** PGlite runs one transaction at a time and would hide races: these run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onPostgres)("throttles under concurrency (PostgreSQL)", () => {
  it("two throttles of one user at once end with exactly one in force, the other recorded as replaced", async () => {
    for (let round = 0; round < 5; round++) {
      const { user, peers } = await subject(1);
      const results = await Promise.all([
        throttleUser(admin.actor, user.id, { rateKbit: 1000, hours: 1 }),
        throttleUser(admin.actor, user.id, { rateKbit: 2000, hours: 2 }),
        call(throttleRoute.POST as never, { token: admin.token, params: { id: user.id }, body: { rateKbit: 3000, hours: 3 } }).then((r) => {
          expect(r.status, r.text).toBe(201);
          return r.json as { id: string };
        }),
      ]);
      const open = await openThrottles(user.id);
      expect(open).toHaveLength(1);
      expect(results.map((r) => r.id)).toContain(open[0].id);
      const { history } = await getUserThrottles(admin.actor, user.id);
      expect(history).toHaveLength(3);
      expect(history.filter((h) => h.active)).toHaveLength(1);
      expect(history.filter((h) => !h.active).every((h) => h.liftedBy === admin.email)).toBe(true);
      const served = throttleLines((await pull()).text).filter((l) => l.ipv4 === peers[0].ipv4);
      expect(served.map((l) => l.rateKbit)).toEqual([open[0].rateKbit]);
    }
  });

  it("a throttle and a lift racing: the user ends with at most one throttle, and the config agrees with the table", async () => {
    const { user, peers } = await subject(1);
    await throttleUser(admin.actor, user.id, { rateKbit: 500, hours: 1 });
    await Promise.all([throttleUser(admin.actor, user.id, { rateKbit: 600, hours: 1 }), liftThrottle(admin.actor, user.id), throttleUser(admin.actor, user.id, { rateKbit: 700, hours: 1 })]);
    const open = await openThrottles(user.id);
    expect(open.length).toBeLessThanOrEqual(1);
    const served = throttleLines((await pull()).text).filter((l) => l.ipv4 === peers[0].ipv4);
    expect(served.map((l) => l.rateKbit)).toEqual(open.map((t) => t.rateKbit));
  });
});
