import { beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/admin/abuse/route";
import * as statsRoute from "@/app/api/admin/abuse/stats/route";
import * as oneRoute from "@/app/api/admin/abuse/[id]/route";
import * as resolveRoute from "@/app/api/admin/abuse/[id]/resolve/route";
import * as investigateRoute from "@/app/api/admin/abuse/[id]/investigate/route";
import { runAllChecks } from "@/lib/services/abuse/scan";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { MIN, addSample, ago, freshNow, incidentsOf, makeSubject, setThresholds } from "./fixtures";

const GB = 1e9;

const FIELDS = [
  "id", "userId", "userEmail", "incidentType", "severity", "description", "metadata", "detectionMethod", "actionTaken", "status", "detectedAt", "resolvedAt", "resolutionNote",
  // The mitigations' extensions: the warning, who opened it by hand and from which ticket.
  "warningSent", "warningSentAt", "warningSentBy", "reportedBy", "ticketId",
];

let admin: Awaited<ReturnType<typeof makeUser>>;
const ids: string[] = [];

/** Four incidents: two users with bandwidth (one critical) and sharing each. */
beforeAll(async () => {
  setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
  admin = await makeUser("admin");
  for (const [i, volume] of [2 * GB, 4 * GB].entries()) {
    const now = freshNow();
    const s = await makeSubject();
    await addSample(s, ago(now, 50 * MIN), volume / 2, volume / 2, "192.0.2.1");
    await addSample(s, ago(now, 2 * MIN), 0, 0, "192.0.2.2");
    await addSample(s, ago(now, 1 * MIN), 0, 0, `192.0.2.${3 + i}`);
    await runAllChecks(s.user.id, { now });
    ids.push(...(await incidentsOf(s.user.id)).map((x) => x.id));
  }
  setThresholds();
});

describe("GET /api/admin/abuse", () => {
  it("answers {items, nextCursor} with exactly the incident fields of API.md (plus userEmail)", async () => {
    const res = await call(listRoute.GET, { token: admin.token, path: "/api/admin/abuse?status=pending" });
    expect(res.status).toBe(200);
    expect(res.json.nextCursor).toBeNull();
    expect(res.json.items).toHaveLength(4);
    for (const item of res.json.items) {
      expect(Object.keys(item).sort()).toEqual([...FIELDS].sort());
      expect(item).toMatchObject({ status: "pending", detectionMethod: "automated", actionTaken: "none", resolvedAt: null, resolutionNote: null });
      expect(item.detectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(res.text).not.toMatch(/resolvedById|resolved_by/);
  });

  it("filters by type and severity, orders pending → investigating → closed, and pages without gaps", async () => {
    await call(investigateRoute.POST, { token: admin.token, params: { id: ids[0] }, body: {} });
    await call(resolveRoute.POST, { token: admin.token, params: { id: ids[1] }, body: { status: "resolved", note: "ok" } });

    const critical = await call(listRoute.GET, { token: admin.token, path: "/api/admin/abuse?severity=critical" });
    expect(critical.json.items.map((i: any) => [i.incidentType, i.severity])).toEqual([["excessive_bandwidth", "critical"]]);
    const sharing = await call(listRoute.GET, { token: admin.token, path: "/api/admin/abuse?type=account_sharing" });
    expect(sharing.json.items.every((i: any) => i.incidentType === "account_sharing")).toBe(true);

    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const page = await call(listRoute.GET, { token: admin.token, path: `/api/admin/abuse?limit=1${q}` });
      expect(page.status).toBe(200);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.id).sort()).toEqual([...ids].sort());
    const ranks = seen.map((i) => ({ pending: 0, investigating: 1 })[i.status as "pending"] ?? 2);
    expect(ranks).toEqual([...ranks].sort());
    expect(seen[seen.length - 1].status).toBe("resolved");
  });

  it("refuses bad filters with 400 and details, and non-admins with 403", async () => {
    for (const q of ["status=open", "type=spam", "severity=extreme", "limit=0", "limit=500", "cursor=bm90LWEtY3Vyc29y", "sort=asc"]) {
      const res = await call(listRoute.GET, { token: admin.token, path: `/api/admin/abuse?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
      expect(res.json.error.details.length, q).toBeGreaterThan(0);
    }
    const user = await makeUser("user");
    const agent = await makeUser("agent");
    for (const who of [user, agent]) {
      expect((await call(listRoute.GET, { token: who.token })).status).toBe(403);
      expect((await call(statsRoute.GET, { token: who.token })).status).toBe(403);
      expect((await call(oneRoute.GET, { token: who.token, params: { id: ids[2] } })).status).toBe(403);
      expect((await call(resolveRoute.POST, { token: who.token, params: { id: ids[2] }, body: { status: "resolved", note: "x" } })).status).toBe(403);
      expect((await call(investigateRoute.POST, { token: who.token, params: { id: ids[2] }, body: {} })).status).toBe(403);
    }
    expect((await call(listRoute.GET, {})).status).toBe(401);
  });
});

describe("POST /api/admin/abuse/:id/resolve and /investigate", () => {
  it("validates the body: status resolved|false_positive and a note", async () => {
    const bad = [{}, { status: "resolved" }, { status: "resolved", note: "   " }, { status: "pending", note: "x" }, { status: "resolved", note: "x", extra: 1 }, { status: "resolved", note: "x".repeat(2001) }];
    for (const body of bad) {
      const res = await call(resolveRoute.POST, { token: admin.token, params: { id: ids[2] }, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.json.error.details.length).toBeGreaterThan(0);
    }
    const notJson = await call(resolveRoute.POST, { token: admin.token, params: { id: ids[2] }, rawBody: "{", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect((await call(investigateRoute.POST, { token: admin.token, params: { id: ids[2] }, body: { note: 5 } })).status).toBe(400);
  });

  it("resolves as a false positive with the note, then answers 409 to a second close and 404 to an unknown id", async () => {
    const res = await call(resolveRoute.POST, { token: admin.token, params: { id: ids[2] }, body: { status: "false_positive", note: "Office NAT" } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual([...FIELDS].sort());
    expect(res.json).toMatchObject({ id: ids[2], status: "false_positive", resolutionNote: "Office NAT" });
    expect(Date.parse(res.json.resolvedAt)).not.toBeNaN();
    const again = await call(resolveRoute.POST, { token: admin.token, params: { id: ids[2] }, body: { status: "resolved", note: "x" } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
    const missing = await call(resolveRoute.POST, { token: admin.token, params: { id: "nope" }, body: { status: "resolved", note: "x" } });
    expect(missing.status).toBe(404);
    expect((await call(oneRoute.GET, { token: admin.token, params: { id: "nope" } })).status).toBe(404);
  });

  it("investigate moves a pending incident, with an optional note", async () => {
    const res = await call(investigateRoute.POST, { token: admin.token, params: { id: ids[3] }, body: { note: "Asked the user" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: ids[3], status: "investigating", resolvedAt: null });
    expect((await call(investigateRoute.POST, { token: admin.token, params: { id: ids[3] }, body: {} })).status).toBe(409);
    const one = await call(oneRoute.GET, { token: admin.token, params: { id: ids[3] } });
    expect(one.json.status).toBe("investigating");
  });
});

describe("GET /api/admin/abuse/stats", () => {
  it("answers totals by type, by severity and status, and the open counts", async () => {
    const res = await call(statsRoute.GET, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ periodDays: 30, total: 4 });
    const all = await call(statsRoute.GET, { token: admin.token, path: "/api/admin/abuse/stats?days=365" });
    expect(all.json).toMatchObject({
      periodDays: 365,
      total: 4,
      byType: { excessive_bandwidth: 2, account_sharing: 2, rapid_reconnects: 0, concurrent_connections: 0, suspicious_traffic_pattern: 0 },
      bySeverity: { low: 0, medium: 0, high: 3, critical: 1 },
      byStatus: { pending: 0, investigating: 2, resolved: 1, false_positive: 1 },
      pending: 0,
      investigating: 2,
    });
    expect(all.json.byTypeAndSeverity.excessive_bandwidth).toEqual({ low: 0, medium: 0, high: 1, critical: 1 });
    expect((await call(statsRoute.GET, { token: admin.token, path: "/api/admin/abuse/stats?days=0" })).status).toBe(400);
  });
});
