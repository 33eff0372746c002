import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { getUsagePage } from "@/lib/dal/analytics";
import { blockExhaustedQuotas, releaseQuotaBlocks, warnNearQuota } from "@/lib/services/quota";
import { getQuotaSummary } from "@/lib/dal/quota-summary";
import { agentConfig, serverConfigText } from "@/lib/services/server-config";
import { quotaJob } from "@/lib/jobs/quota";
import { embeddedStep } from "@/lib/jobs/execute";
import { log } from "@/lib/log";
import { addTraffic, auditActions, configVersion, emailsTo, makePlan, makeServer, subscribe, userRow, userWithDevice } from "./helpers";

const GB = 1e9;
/** Simulated clock: a month well in the future, so a block it sets is still in force for the real-time config build. */
const at = (iso: string) => new Date(iso);

async function runQuota(now: Date) {
  const released = await releaseQuotaBlocks(now);
  const blocked = await blockExhaustedQuotas(now);
  const warned = await warnNearQuota(now);
  return { released, blocked, warned };
}

describe("monthly data quotas", () => {
  let serverId: string;
  let oneGb: string;
  beforeAll(async () => {
    serverId = (await makeServer()).id;
    oneGb = await makePlan({ monthlyDataGb: 1 });
  });

  it("warns at 80 % once, then at 100 % emails again and takes the devices out of the server config", async () => {
    const { user, peer } = await userWithDevice(serverId, oneGb);
    await addTraffic(serverId, peer.publicKey, 0.5 * GB, at("2030-03-10T10:00:00Z"));
    expect((await runQuota(at("2030-03-10T10:05:00Z"))).warned).toBe(0);

    await addTraffic(serverId, peer.publicKey, 0.35 * GB, at("2030-03-10T10:10:00Z"));
    expect((await runQuota(at("2030-03-10T10:15:00Z"))).warned).toBe(1);
    let mail = await emailsTo(user.email);
    expect(mail.map((m) => m.template)).toEqual(["quota_warning"]);
    expect(mail[0]!.subject).toBe("You have used 85 % of this month's data");
    expect((await userRow(user.id)).quotaWarned80).toBe("2030-03");
    expect(await serverConfigText(serverId)).toContain(peer.publicKey);

    // Once per month: a later run with more (still under 100 %) traffic sends nothing.
    await addTraffic(serverId, peer.publicKey, 0.05 * GB, at("2030-03-10T10:20:00Z"));
    expect((await runQuota(at("2030-03-10T10:25:00Z"))).warned).toBe(0);
    expect(await emailsTo(user.email)).toHaveLength(1);

    const pulled = await agentConfig(serverId, null);
    expect(pulled.status).toBe(200);
    const versionBefore = await configVersion(serverId);
    await addTraffic(serverId, peer.publicKey, 0.15 * GB, at("2030-03-10T10:30:00Z"));
    const r = await runQuota(at("2030-03-10T10:35:00Z"));
    expect(r.blocked).toMatchObject({ blocked: 1, emailed: 1, servers: 1 });
    mail = await emailsTo(user.email);
    expect(mail.map((m) => m.template)).toEqual(["quota_warning", "quota_exceeded"]);
    expect(mail[1]!.text).toContain("1 April 2030");

    const row = await userRow(user.id);
    expect(row.quotaBlockedUntil?.toISOString()).toBe("2030-04-01T00:00:00.000Z");
    expect(row.quotaWarned100).toBe("2030-03");
    expect(await serverConfigText(serverId)).not.toContain(peer.publicKey);
    // The agent's ETag shortcut must not hide the change: the version moved, so it gets the new config.
    expect(await configVersion(serverId)).toBe(versionBefore + 1);
    const again = await agentConfig(serverId, pulled.etag);
    expect(again.status).toBe(200);
    expect(again.status === 200 && again.text).not.toContain(peer.publicKey);
    expect(await auditActions(user.id)).toContain("quota.blocked");

    // Idempotent: nothing more this month.
    const rerun = await runQuota(at("2030-03-10T10:45:00Z"));
    expect(rerun.blocked.blocked).toBe(0);
    expect(await emailsTo(user.email)).toHaveLength(2);
    expect(await configVersion(serverId)).toBe(versionBefore + 1);
  });

  it("jumping past 100 % in one step sends only the 100 % email", async () => {
    const { user, peer } = await userWithDevice(serverId, oneGb);
    await addTraffic(serverId, peer.publicKey, 1.2 * GB, at("2030-03-12T08:00:00Z"));
    await runQuota(at("2030-03-12T08:05:00Z"));
    expect((await emailsTo(user.email)).map((m) => m.template)).toEqual(["quota_exceeded"]);
    await runQuota(at("2030-03-12T08:15:00Z"));
    expect(await emailsTo(user.email)).toHaveLength(1);
  });

  it("resumes when the calendar month turns in UTC, not after a rolling 30 days", async () => {
    const { user, peer } = await userWithDevice(serverId, oneGb);
    await addTraffic(serverId, peer.publicKey, 1.1 * GB, at("2030-03-31T20:00:00Z"));
    await runQuota(at("2030-03-31T20:05:00Z"));
    expect((await userRow(user.id)).quotaBlockedUntil?.toISOString()).toBe("2030-04-01T00:00:00.000Z");
    expect(await serverConfigText(serverId)).not.toContain(peer.publicKey);

    // Still March: no release.
    expect((await releaseQuotaBlocks(at("2030-03-31T23:55:00Z"))).released).toBe(0);
    const version = await configVersion(serverId);
    const r = await runQuota(at("2030-04-01T00:05:00Z"));
    expect(r.released.released).toBeGreaterThanOrEqual(1);
    expect((await userRow(user.id)).quotaBlockedUntil).toBeNull();
    expect(await serverConfigText(serverId)).toContain(peer.publicKey);
    expect(await configVersion(serverId)).toBeGreaterThan(version);
    expect(await auditActions(user.id)).toContain("quota.unblocked");

    // April starts from zero: last night's traffic belongs to March.
    await addTraffic(serverId, peer.publicKey, 0.1 * GB, at("2030-04-01T00:10:00Z"));
    const april = await runQuota(at("2030-04-01T00:15:00Z"));
    expect(april.blocked.blocked).toBe(0);
    expect((await userRow(user.id)).quotaBlockedUntil).toBeNull();
  });

  it("turns the month at local midnight for an account in Pacific/Auckland, 13 hours before UTC", async () => {
    const nz = await userWithDevice(serverId, oneGb, "Pacific/Auckland");
    const utc = await userWithDevice(serverId, oneGb);
    // 09:00 UTC on 31 March is 22:00 on 31 March in Auckland (NZDT, UTC+13): still March there.
    await addTraffic(serverId, nz.peer.publicKey, 1.1 * GB, at("2030-03-31T09:00:00Z"));
    await addTraffic(serverId, utc.peer.publicKey, 1.1 * GB, at("2030-03-31T09:00:00Z"));
    await runQuota(at("2030-03-31T09:05:00Z"));

    const nzRow = await userRow(nz.user.id);
    expect(nzRow.quotaWarned100).toBe("2030-03");
    expect(nzRow.quotaBlockedUntil?.toISOString()).toBe("2030-03-31T11:00:00.000Z"); // 1 April 00:00 NZDT
    expect((await userRow(utc.user.id)).quotaBlockedUntil?.toISOString()).toBe("2030-04-01T00:00:00.000Z");
    const nzMail = await emailsTo(nz.user.email);
    expect(nzMail[0]!.text).toContain("1 April 2030");

    // 11:05 UTC: April in Auckland, still March in UTC.
    await runQuota(at("2030-03-31T11:05:00Z"));
    expect((await userRow(nz.user.id)).quotaBlockedUntil).toBeNull();
    expect((await userRow(utc.user.id)).quotaBlockedUntil?.toISOString()).toBe("2030-04-01T00:00:00.000Z");
    const config = await serverConfigText(serverId);
    expect(config).toContain(nz.peer.publicKey);
    expect(config).not.toContain(utc.peer.publicKey);

    // Traffic at 11:30 UTC counts for April in Auckland: 0.3 GB of a fresh 1 GB.
    await addTraffic(serverId, nz.peer.publicKey, 0.3 * GB, at("2030-03-31T11:30:00Z"));
    const r = await runQuota(at("2030-03-31T11:35:00Z"));
    expect(r.blocked.blocked).toBe(0);
    expect(r.warned).toBe(0);
    expect((await userRow(nz.user.id)).quotaBlockedUntil).toBeNull();
  });

  it("a plan change lifts the block when the new allowance covers this month's use", async () => {
    const now = new Date();
    const { user, peer } = await userWithDevice(serverId, oneGb);
    await addTraffic(serverId, peer.publicKey, 1.5 * GB, new Date(now.getTime() - 60_000));
    await blockExhaustedQuotas(now);
    const blocked = await userRow(user.id);
    expect(blocked.quotaBlockedUntil!.getTime()).toBeGreaterThan(now.getTime());
    expect(await serverConfigText(serverId)).not.toContain(peer.publicKey);

    // Still too small: stays blocked.
    await subscribe(user.id, await makePlan({ monthlyDataGb: 1 }));
    expect((await userRow(user.id)).quotaBlockedUntil).not.toBeNull();

    const version = await configVersion(serverId);
    await subscribe(user.id, await makePlan({ monthlyDataGb: 5 }));
    const lifted = await userRow(user.id);
    expect(lifted.quotaBlockedUntil).toBeNull();
    expect(lifted.quotaWarned100).toBeNull();
    expect(lifted.quotaWarned80).toBeNull();
    expect(await serverConfigText(serverId)).toContain(peer.publicKey);
    expect(await configVersion(serverId)).toBeGreaterThan(version);
    const summary = await getQuotaSummary(user.actor);
    expect(summary).toMatchObject({ allowanceBytes: 5 * GB, bytes: 1.5 * GB, blockedUntil: null });
  });

  it("shows this month's use, allowance and reset date in the account's time zone (devices and usage pages)", async () => {
    const now = new Date();
    const { user, peer } = await userWithDevice(serverId, oneGb, "Pacific/Auckland");
    await addTraffic(serverId, peer.publicKey, 0.25 * GB, new Date(now.getTime() - 60_000));
    const summary = await getQuotaSummary(user.actor);
    expect(summary.timeZone).toBe("Pacific/Auckland");
    expect(summary.allowanceBytes).toBe(GB);
    expect(summary.bytes).toBe(0.25 * GB);
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", { timeZone: "Pacific/Auckland", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" })
        .formatToParts(new Date(summary.resetsAt))
        .map((p) => [p.type, p.value]),
    );
    expect(parts).toMatchObject({ day: "1", hour: "00", minute: "00" });
    const resets = new Date(summary.resetsAt).getTime();
    expect(resets).toBeGreaterThan(now.getTime());
    expect(resets - now.getTime()).toBeLessThanOrEqual(32 * 86_400_000);

    const page = await getUsagePage(user.actor, 30);
    expect(page.month).toMatchObject({ bytes: 0.25 * GB, allowanceBytes: GB, resetsAt: summary.resetsAt, timeZone: "Pacific/Auckland", blockedUntil: null });

    // Without a zone the month is UTC's.
    const plain = await userWithDevice(serverId, null);
    const utc = await getQuotaSummary(plain.user.actor);
    expect(utc).toMatchObject({ timeZone: "UTC", allowanceBytes: null });
    expect(utc.resetsAt).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
  });

  it("treats an unknown time zone as UTC instead of failing the job", async () => {
    const { user, peer } = await userWithDevice(serverId, oneGb, "Mars/Olympus_Mons");
    const odd = await userWithDevice(serverId, oneGb, "+05:00");
    await addTraffic(serverId, peer.publicKey, 1.1 * GB, at("2030-05-31T20:00:00Z"));
    await addTraffic(serverId, odd.peer.publicKey, 1.1 * GB, at("2030-05-31T20:00:00Z"));
    await runQuota(at("2030-05-31T20:05:00Z"));
    expect((await userRow(user.id)).quotaBlockedUntil?.toISOString()).toBe("2030-06-01T00:00:00.000Z");
    expect((await userRow(odd.user.id)).quotaBlockedUntil?.toISOString()).toBe("2030-06-01T00:00:00.000Z");
    expect((await getQuotaSummary(user.actor)).timeZone).toBe("UTC");
  });

  it("runs as the quota job, recording its counts", async () => {
    const { user } = await userWithDevice(serverId, oneGb);
    await (await getDb()).update(users).set({ quotaBlockedUntil: new Date(Date.now() - 1000) }).where(eq(users.id, user.id));
    const counts = await quotaJob.run({ step: embeddedStep(), runId: "test", log, trigger: "manual", progress: async () => {} });
    expect(counts.unblocked).toBeGreaterThanOrEqual(1);
    expect((await userRow(user.id)).quotaBlockedUntil).toBeNull();
  });
});
