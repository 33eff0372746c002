import { beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs } from "@/db/schema";
import * as historyRoute from "@/app/api/admin/users/[id]/abuse/route";
import { AbuseHistory } from "@/app/admin/users/[id]/_components/abuse-history";
import { resolveIncident } from "@/lib/services/abuse/incidents";
import { reportIncident } from "@/lib/services/abuse/reports";
import { warnIncidentUser } from "@/lib/services/abuse/warnings";
import { liftThrottle, throttleUser } from "@/lib/services/throttle";
import { runAllChecks } from "@/lib/services/abuse/scan";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { MIN, addSample, ago, freshNow, makeSubject, setThresholds } from "./fixtures";

/** The incident fields of API.md, userEmail, and what the mitigations add (the throttles linked to the incident among them). */
const FIELDS = [
  "id", "userId", "userEmail", "incidentType", "severity", "description", "metadata", "detectionMethod", "actionTaken", "status",
  "detectedAt", "resolvedAt", "resolutionNote", "warningSent", "warningSentAt", "warningSentBy", "reportedBy", "ticketId", "throttles",
];
/** A throttle as GET /api/admin/users/:id/throttle shows it. */
const THROTTLE_FIELDS = ["id", "userId", "rateKbit", "startsAt", "until", "reason", "incidentId", "createdBy", "liftedAt", "liftedBy", "active"];
const HOUR_MS = 3_600_000;

let admin: Awaited<ReturnType<typeof makeUser>>;
let subject: Awaited<ReturnType<typeof makeSubject>>;
let other: Awaited<ReturnType<typeof makeSubject>>;
const mine: string[] = [];

/** Backdates an incident's detection, as if recorded `minutes` ago (ids are random: order comes from the time). */
async function detectedAgo(id: string, minutes: number) {
  await (await getDb())
    .update(abuseDetectionLogs)
    .set({ detectedAt: sql`now() - make_interval(mins => ${minutes})` })
    .where(eq(abuseDetectionLogs.id, id));
}

beforeAll(async () => {
  setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
  admin = await makeUser("admin");
  subject = await makeSubject();
  other = await makeSubject();
  // One from the scan (resolved), two by hand (one warned), oldest first.
  const now = freshNow();
  await addSample(subject, ago(now, 10 * MIN), 2e9, 1e9);
  await runAllChecks(subject.user.id, { now });
  const [scanned] = await (await getDb()).select({ id: abuseDetectionLogs.id }).from(abuseDetectionLogs).where(eq(abuseDetectionLogs.userId, subject.user.id));
  await resolveIncident(admin.actor, scanned.id, { status: "resolved", note: "Backups; asked to schedule them at night" });
  const sharing = await reportIncident(admin.actor, { userId: subject.user.id, type: "account_sharing", severity: "high", description: "Five cities in an hour" });
  await warnIncidentUser(admin.actor, sharing.id);
  const reconnects = await reportIncident(admin.actor, { userId: subject.user.id, type: "rapid_reconnects", severity: "low", description: "A reconnect loop" });
  await reportIncident(admin.actor, { userId: other.user.id, type: "rapid_reconnects", severity: "low", description: "Someone else's" });
  for (const [i, id] of [scanned.id, sharing.id, reconnects.id].entries()) {
    await detectedAgo(id, 30 - i * 10);
    mine.unshift(id);
  }
  setThresholds();
});

describe("GET /api/admin/users/:id/abuse", () => {
  it("lists every incident of that user, whatever its status, newest first, with evidence, status, resolution and warning", async () => {
    const res = await call(historyRoute.GET as never, { token: admin.token, params: { id: subject.user.id }, path: "/api/admin/users/x/abuse" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.nextCursor).toBeNull();
    expect(res.json.items.map((i: any) => i.id)).toEqual(mine);
    for (const item of res.json.items) expect(Object.keys(item).sort()).toEqual([...FIELDS].sort());
    const [reconnects, sharing, scanned] = res.json.items;
    expect(reconnects).toMatchObject({ incidentType: "rapid_reconnects", detectionMethod: "manual", status: "pending", warningSent: false, reportedBy: admin.email });
    expect(sharing).toMatchObject({ incidentType: "account_sharing", warningSent: true, warningSentBy: admin.email, actionTaken: "warning_sent" });
    expect(scanned).toMatchObject({
      incidentType: "excessive_bandwidth",
      detectionMethod: "automated",
      status: "resolved",
      resolutionNote: "Backups; asked to schedule them at night",
      reportedBy: null,
    });
    expect(scanned.metadata).toMatchObject({ measure: "totalBytes", value: 3e9 });
    // No throttle was linked to any of them.
    for (const item of res.json.items) expect(item.throttles).toEqual([]);
    expect(res.text).not.toContain(other.user.id);
  });

  it("each incident carries the throttles linked to it (actionTaken has no throttled value): in force, lifted, or run out", async () => {
    const s = await makeSubject();
    const byHand = (type: string, description: string) => reportIncident(admin.actor, { userId: s.user.id, type: type as never, severity: "high", description });
    const heavy = await byHand("excessive_bandwidth", "3 TB in a day");
    const loop = await byHand("rapid_reconnects", "A reconnect loop");
    const quiet = await byHand("concurrent_connections", "Nothing done about it yet");
    for (const [i, id] of [loop.id, heavy.id, quiet.id].entries()) await detectedAgo(id, 30 - i * 10);

    const base = Date.now();
    const at = (ms: number) => new Date(base - ms);
    // Not linked to any incident: it must not show up under one.
    await throttleUser(admin.actor, s.user.id, { rateKbit: 100, hours: 1 }, at(5 * HOUR_MS));
    // Linked to the loop, ran out two hours ago (the expiry job has not recorded it: replaced below, it is closed at its until).
    await throttleUser(admin.actor, s.user.id, { rateKbit: 1000, hours: 1, incidentId: loop.id }, at(3 * HOUR_MS));
    // Linked to the heavy use: one lifted early by the admin, then one in force.
    await throttleUser(admin.actor, s.user.id, { rateKbit: 2000, hours: 6, incidentId: heavy.id }, at(20 * 60_000));
    await liftThrottle(admin.actor, s.user.id, at(10 * 60_000));
    const current = await throttleUser(admin.actor, s.user.id, { rateKbit: 512, hours: 6, incidentId: heavy.id });

    const res = await call(historyRoute.GET as never, { token: admin.token, params: { id: s.user.id }, path: "/api/admin/users/x/abuse" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: any) => i.id)).toEqual([quiet.id, heavy.id, loop.id]);
    const [q, h, r] = res.json.items;
    expect(q).toMatchObject({ actionTaken: "none", throttles: [] });
    // A throttle-only incident: actionTaken stays "none", the throttles say what was done, newest first.
    expect(h.actionTaken).toBe("none");
    for (const t of [...h.throttles, ...r.throttles]) expect(Object.keys(t).sort()).toEqual([...THROTTLE_FIELDS].sort());
    expect(h.throttles).toEqual([
      expect.objectContaining({ id: current.id, rateKbit: 512, until: current.until, incidentId: heavy.id, createdBy: admin.email, liftedAt: null, liftedBy: null, active: true }),
      expect.objectContaining({ rateKbit: 2000, incidentId: heavy.id, createdBy: admin.email, liftedAt: at(10 * 60_000).toISOString(), liftedBy: admin.email, active: false }),
    ]);
    expect(r.throttles).toEqual([
      expect.objectContaining({ rateKbit: 1000, until: at(2 * HOUR_MS).toISOString(), incidentId: loop.id, liftedAt: at(2 * HOUR_MS).toISOString(), liftedBy: null, active: false }),
    ]);

    // One page at a time, each page carries its own incidents' throttles (the unlinked 100 kbit/s one under none).
    const first = await call(historyRoute.GET as never, { token: admin.token, params: { id: s.user.id }, path: "/api/admin/users/x/abuse?limit=2" });
    const second = await call(historyRoute.GET as never, { token: admin.token, params: { id: s.user.id }, path: `/api/admin/users/x/abuse?limit=2&cursor=${first.json.nextCursor}` });
    expect([...first.json.items, ...second.json.items].map((i: any) => [i.id, i.throttles.map((t: any) => t.rateKbit)])).toEqual([
      [quiet.id, []],
      [heavy.id, [512, 2000]],
      [loop.id, [1000]],
    ]);

    // The admin user page says what was done: the throttle, not "None".
    const html = renderToStaticMarkup(createElement(AbuseHistory, { userId: s.user.id, email: s.user.email, items: res.json.items, nextCursor: null, hasCursor: false }));
    const rows = html.split('data-testid="abuse-history-row"').slice(1);
    expect(rows).toHaveLength(3);
    const cells = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    const done = rows.map((row) => cells(row)[4]!);
    expect(done[0]).toBe("None");
    expect(done[1]).toMatch(/^Throttled to 512 kbit\/s until .+ Set by .+; in force Throttled to 2 Mbit\/s until .+ lifted by /);
    expect(done[1]).not.toContain("None");
    expect(done[1]).toContain(`lifted by ${admin.email}`);
    expect(done[2]).toMatch(/^Throttled to 1 Mbit\/s until .+; ended at /);
    expect(html.match(/data-testid="abuse-history-throttle" data-active="true"/g)).toHaveLength(1);
  });

  it("pages without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const page = await call(historyRoute.GET as never, { token: admin.token, params: { id: subject.user.id }, path: `/api/admin/users/x/abuse?limit=1${q}` });
      expect(page.status).toBe(200);
      expect(page.json.items).toHaveLength(1);
      seen.push(...page.json.items.map((i: any) => i.id));
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(mine);
  });

  it("a user without incidents has an empty history; an unknown user is 404; bad queries 400", async () => {
    const quiet = await makeUser();
    const empty = await call(historyRoute.GET as never, { token: admin.token, params: { id: quiet.id }, path: "/api/admin/users/x/abuse" });
    expect(empty.json).toEqual({ items: [], nextCursor: null });
    expect((await call(historyRoute.GET as never, { token: admin.token, params: { id: "00000000-0000-0000-0000-000000000000" }, path: "/api/admin/users/x/abuse" })).status).toBe(404);
    for (const q of ["limit=0", "limit=201", "cursor=bm9wZQ", "sort=asc"]) {
      const res = await call(historyRoute.GET as never, { token: admin.token, params: { id: subject.user.id }, path: `/api/admin/users/x/abuse?${q}` });
      expect(res.status, q).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
  });

  it("refuses the user themself, another user and support agents (403), and anonymous callers (401)", async () => {
    const agent = await makeUser("agent");
    for (const who of [subject.user, other.user, agent]) {
      const res = await call(historyRoute.GET as never, { token: who.token, params: { id: subject.user.id }, path: "/api/admin/users/x/abuse" });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain("Five cities");
    }
    expect((await call(historyRoute.GET as never, { params: { id: subject.user.id }, path: "/api/admin/users/x/abuse" })).status).toBe(401);
  });
});
