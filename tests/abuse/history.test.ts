import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs } from "@/db/schema";
import * as historyRoute from "@/app/api/admin/users/[id]/abuse/route";
import { resolveIncident } from "@/lib/services/abuse/incidents";
import { reportIncident } from "@/lib/services/abuse/reports";
import { warnIncidentUser } from "@/lib/services/abuse/warnings";
import { runAllChecks } from "@/lib/services/abuse/scan";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { MIN, addSample, ago, freshNow, makeSubject, setThresholds } from "./fixtures";

/** The incident fields of API.md, userEmail, and what the mitigations add. */
const FIELDS = [
  "id", "userId", "userEmail", "incidentType", "severity", "description", "metadata", "detectionMethod", "actionTaken", "status",
  "detectedAt", "resolvedAt", "resolutionNote", "warningSent", "warningSentAt", "warningSentBy", "reportedBy", "ticketId",
];

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
    expect(res.text).not.toContain(other.user.id);
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
