import { beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, auditLog, emailOutbox, users, vpnServers } from "@/db/schema";
import { runAllChecks, scanAllUsers } from "@/lib/services/abuse/scan";
import { investigateIncident, resolveIncident, restoreIncidentUser, suspendIncidentUser } from "@/lib/services/abuse/incidents";
import { serverConfigText } from "@/lib/services/server-config";
import { makeUser } from "../support/factories";
import { HOUR, MIN, addSample, ago, freshNow, incidentsOf, makeSubject, setThresholds } from "./fixtures";

const GB = 1e9;

async function auditFor(targetType: string, targetId: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId))).orderBy(auditLog.id);
}
async function userStatus(id: string) {
  const db = await getDb();
  const [u] = await db.select({ status: users.status, reason: users.statusReason }).from(users).where(eq(users.id, id));
  return u;
}
async function sharingTraffic(s: Awaited<ReturnType<typeof makeSubject>>, now: Date) {
  for (const [i, ip] of ["192.0.2.1", "192.0.2.2", "192.0.2.3"].entries()) await addSample(s, ago(now, (i + 1) * MIN), 10, 10, ip);
}

beforeEach(() => setThresholds());

describe("deduplication against the open-incident index", () => {
  it("a second scan finds the same user again but records no second incident while one is open", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const now = freshNow();
    const s = await makeSubject();
    await addSample(s, ago(now, HOUR), GB, GB);
    const first = await scanAllUsers({ now });
    expect(first).toMatchObject({ created: 1 });
    const second = await scanAllUsers({ now: new Date(now.getTime() + 10 * MIN) });
    expect(second.found.excessive_bandwidth).toBe(1);
    expect(second.created).toBe(0);
    const [inc] = await incidentsOf(s.user.id);
    const admin = await makeUser("admin");
    await investigateIncident(admin.actor, inc.id, "looking");
    const third = await runAllChecks(s.user.id, { now: new Date(now.getTime() + 20 * MIN) });
    expect(third.created).toBe(0);
    expect(await incidentsOf(s.user.id)).toHaveLength(1);
  });

  it("two scans racing still record one incident", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const now = freshNow();
    const s = await makeSubject();
    await addSample(s, ago(now, HOUR), GB, GB);
    const results = await Promise.all([scanAllUsers({ now }), scanAllUsers({ now }), runAllChecks(s.user.id, { now })]);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
    expect(await incidentsOf(s.user.id)).toHaveLength(1);
  });

  it("a false positive neither re-raises on the evidence it judged nor stops a later genuine incident", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const admin = await makeUser("admin");
    const s = await makeSubject();
    const t0 = new Date();
    await addSample(s, ago(t0, 30 * MIN), GB, GB);
    await scanAllUsers({ now: t0 });
    const [first] = await incidentsOf(s.user.id);
    const closed = await resolveIncident(admin.actor, first.id, { status: "false_positive", note: "Backup job, known customer" });
    expect(closed).toMatchObject({ status: "false_positive", resolutionNote: "Backup job, known customer" });

    // The same 24 h of traffic, scanned again after the closure: nothing new.
    const again = await scanAllUsers({ now: new Date(Date.parse(closed.resolvedAt!) + MIN) });
    expect(again.found.excessive_bandwidth).toBe(0);
    expect(await incidentsOf(s.user.id)).toHaveLength(1);

    // New traffic after the closure crosses the threshold again: a new incident.
    const later = new Date(Date.parse(closed.resolvedAt!) + 2 * MIN);
    await addSample(s, later, GB, GB);
    await scanAllUsers({ now: new Date(later.getTime() + MIN) });
    const all = await incidentsOf(s.user.id);
    expect(all.map((i) => i.status)).toEqual(["false_positive", "pending"]);
    expect(all[1].metadata.windowStart).toBe(closed.resolvedAt);
    expect(all[1].description).toBe("2 GB in 3 min (threshold 1 GB)");
  });
});

describe("critical incidents", () => {
  it("email every active admin through the outbox, and only critical ones do", async () => {
    setThresholds({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const admin = await makeUser("admin");
    const db = await getDb();
    const mails = () => db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "abuse_critical")));

    const now = freshNow();
    const high = await makeSubject();
    await addSample(high, ago(now, HOUR), GB, GB); // 2 GB: high
    await scanAllUsers({ now });
    expect(await mails()).toHaveLength(0);

    const later = freshNow();
    const critical = await makeSubject();
    await addSample(critical, ago(later, HOUR), 1.5 * GB, 1.5 * GB); // 3 GB = 3x: critical
    const summary = await scanAllUsers({ now: later });
    expect(summary.critical).toBe(1);
    const sent = await mails();
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toBe(`Critical abuse incident: excessive bandwidth (${critical.user.email})`);
    const [inc] = await incidentsOf(critical.user.id);
    expect(sent[0].text).toContain(`/admin/abuse/${inc.id}`);
    expect(sent[0].text).toContain("3 GB in 24 h (threshold 1 GB)");
  });
});

describe("auto-mitigation", () => {
  it("is off by default: the incident is recorded, the account stays active", async () => {
    const now = freshNow();
    const s = await makeSubject();
    await sharingTraffic(s, now);
    const summary = await runAllChecks(s.user.id, { now });
    expect(summary).toMatchObject({ created: 1, suspended: 0 });
    const [inc] = await incidentsOf(s.user.id);
    expect(inc).toMatchObject({ incidentType: "account_sharing", actionTaken: "none" });
    expect((await userStatus(s.user.id)).status).toBe("active");
  });

  it("suspends for listed types only: peers leave the server config, audited, and an admin can restore", async () => {
    setThresholds({ ABUSE_AUTO_SUSPEND: "account_sharing, no_such_type", EXCESSIVE_BANDWIDTH_GB_PER_DAY: "1" });
    const db = await getDb();
    const admin = await makeUser("admin");
    const now = freshNow();

    const notListed = await makeSubject();
    await addSample(notListed, ago(now, HOUR), GB, GB); // bandwidth: not in the list
    const s = await makeSubject();
    await sharingTraffic(s, now);
    expect(await serverConfigText(s.server.id)).toContain(s.peer.publicKey);
    const [{ version: before }] = await db.select({ version: vpnServers.configVersion }).from(vpnServers).where(eq(vpnServers.id, s.server.id));

    const summary = await scanAllUsers({ now });
    expect(summary.suspended).toBe(1);
    expect((await userStatus(notListed.user.id)).status).toBe("active");
    expect((await incidentsOf(notListed.user.id))[0].actionTaken).toBe("none");

    expect(await userStatus(s.user.id)).toEqual({ status: "suspended", reason: "Automatic abuse mitigation: account_sharing" });
    const [inc] = await incidentsOf(s.user.id);
    expect(inc.actionTaken).toBe("account_suspended");
    const [{ version: after }] = await db.select({ version: vpnServers.configVersion }).from(vpnServers).where(eq(vpnServers.id, s.server.id));
    expect(after).toBeGreaterThan(before);
    expect(await serverConfigText(s.server.id)).not.toContain(s.peer.publicKey);

    const statusAudit = await auditFor("user", s.user.id);
    expect(statusAudit.find((a) => a.action === "account.status_changed")).toMatchObject({ actorKind: "system", metadata: { status: "suspended" } });
    const incidentAudit = await auditFor("abuse_incident", inc.id);
    expect(incidentAudit.map((a) => [a.action, a.actorKind])).toEqual([["abuse.auto_suspended", "system"]]);
    expect(incidentAudit[0].metadata).toMatchObject({ job: "abuse", userId: s.user.id, incidentType: "account_sharing" });

    // Undo.
    await restoreIncidentUser(admin.actor, inc.id, "Family on holiday, confirmed by phone");
    expect((await userStatus(s.user.id)).status).toBe("active");
    expect(await serverConfigText(s.server.id)).toContain(s.peer.publicKey);
    const undone = await auditFor("abuse_incident", inc.id);
    expect(undone.map((a) => a.action)).toEqual(["abuse.auto_suspended", "abuse.user_restored"]);
    expect(undone[1]).toMatchObject({ actorKind: "user", actorId: admin.id, metadata: { note: "Family on holiday, confirmed by phone" } });
    // A second scan of the same window neither duplicates the open incident nor suspends again.
    expect((await runAllChecks(s.user.id, { now })).suspended).toBe(0);
  });
});

describe("admin actions on an incident", () => {
  async function incidentFor() {
    const now = freshNow();
    const s = await makeSubject();
    await sharingTraffic(s, now);
    await runAllChecks(s.user.id, { now });
    const [inc] = await incidentsOf(s.user.id);
    return { s, inc };
  }

  it("investigate, then resolve with a note; each move only once", async () => {
    const admin = await makeUser("admin");
    const { inc } = await incidentFor();
    const investigating = await investigateIncident(admin.actor, inc.id, null);
    expect(investigating.status).toBe("investigating");
    await expect(investigateIncident(admin.actor, inc.id)).rejects.toMatchObject({ code: "conflict" });
    const resolved = await resolveIncident(admin.actor, inc.id, { status: "resolved", note: "Warned the user" });
    expect(resolved).toMatchObject({ status: "resolved", resolutionNote: "Warned the user" });
    expect(Date.parse(resolved.resolvedAt!)).toBeGreaterThan(0);
    await expect(resolveIncident(admin.actor, inc.id, { status: "false_positive", note: "x" })).rejects.toMatchObject({ code: "conflict" });
    const db = await getDb();
    const [row] = await db.select({ by: abuseDetectionLogs.resolvedById }).from(abuseDetectionLogs).where(eq(abuseDetectionLogs.id, inc.id));
    expect(row.by).toBe(admin.id);
    expect((await auditFor("abuse_incident", inc.id)).map((a) => a.action)).toEqual(["abuse.investigating", "abuse.resolved"]);
  });

  it("suspend the user from the incident, then restore; refused for non-admins, unknown ids and oneself", async () => {
    const admin = await makeUser("admin");
    const { s, inc } = await incidentFor();
    const suspended = await suspendIncidentUser(admin.actor, inc.id, "Sharing credentials");
    expect(suspended.actionTaken).toBe("account_suspended");
    expect(await userStatus(s.user.id)).toEqual({ status: "suspended", reason: "Sharing credentials" });
    await expect(suspendIncidentUser(admin.actor, inc.id, "again")).rejects.toMatchObject({ code: "conflict" });
    await restoreIncidentUser(admin.actor, inc.id);
    expect((await userStatus(s.user.id)).status).toBe("active");
    await expect(restoreIncidentUser(admin.actor, inc.id)).rejects.toMatchObject({ code: "conflict" });

    await expect(resolveIncident(s.user.actor, inc.id, { status: "resolved", note: "me" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(investigateIncident(admin.actor, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ code: "not_found" });

    // An admin's own incident: they cannot suspend themself.
    const now = freshNow();
    const selfSubject = await makeSubject();
    await sharingTraffic(selfSubject, now);
    await runAllChecks(selfSubject.user.id, { now });
    const [own] = await incidentsOf(selfSubject.user.id);
    const db = await getDb();
    await db.update(users).set({ role: "admin" }).where(eq(users.id, selfSubject.user.id));
    await expect(suspendIncidentUser({ ...selfSubject.user.actor, role: "admin" }, own.id, "me")).rejects.toMatchObject({ code: "forbidden" });
  });
});
