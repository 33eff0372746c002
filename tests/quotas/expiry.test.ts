import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { wireguardPeers } from "@/db/schema";
import * as expiryRoute from "@/app/api/vpn/peers/[id]/expiry/route";
import * as peersRoute from "@/app/api/vpn/peers/route";
import { expirePeers, renewPeer, setPeerExpiry, warnExpiringPeers } from "@/lib/services/expiry";
import { getPeer, revokePeer } from "@/lib/services/peers";
import { agentConfig, serverConfigText } from "@/lib/services/server-config";
import { call } from "../support/api";
import { auditActions, configVersion, emailsTo, makePlan, makeServer, makeUser, userWithDevice } from "./helpers";

const DAY = 86_400_000;
const minutesFrom = (now: Date, m: number) => new Date(now.getTime() + m * 60_000);

/** Lets time pass for one device: its expiry (set long ago) lies `agoMs` in the past — without touching the config version, as real time would not. */
async function expireAgo(peerId: string, agoMs = 1000) {
  const db = await getDb();
  await db
    .update(wireguardPeers)
    .set({ expiresAt: sql`now() - make_interval(secs => ${agoMs / 1000})`, updatedAt: sql`now() - interval '1 day'` })
    .where(eq(wireguardPeers.id, peerId));
}

describe("device expiry", () => {
  let serverId: string;
  beforeAll(async () => {
    serverId = (await makeServer()).id;
  });

  it("applies the plan's default lifetime when a device is created", async () => {
    const plan = await makePlan({ deviceExpiryDays: 30 });
    const before = Date.now();
    const { peer } = await userWithDevice(serverId, plan);
    const expires = new Date(peer.expiresAt!).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * DAY);

    const { peer: plain } = await userWithDevice(serverId, null);
    expect(plain.expiresAt).toBeNull();
  });

  it("leaves the server config at expiry, and the job makes agents pull the new config", async () => {
    const { user, peer } = await userWithDevice(serverId, null);
    const pulled = await agentConfig(serverId, null);
    expect(pulled.status === 200 && pulled.text).toContain(peer.publicKey);

    await expireAgo(peer.id);
    // The one eligibility rule already leaves it out...
    expect(await serverConfigText(serverId)).not.toContain(peer.publicKey);
    // ...but the ETag shortcut trusts the version, so until the job runs the agent keeps the stale config.
    expect((await agentConfig(serverId, pulled.etag)).status).toBe(304);

    const version = await configVersion(serverId);
    expect(await expirePeers(new Date())).toEqual({ expired: 1, servers: 1 });
    expect(await configVersion(serverId)).toBe(version + 1);
    const fresh = await agentConfig(serverId, pulled.etag);
    expect(fresh.status).toBe(200);
    expect(fresh.status === 200 && fresh.text).not.toContain(peer.publicKey);
    expect(await auditActions(peer.id)).toContain("peer.expired");

    // Once per expiry.
    expect(await expirePeers(new Date())).toEqual({ expired: 0, servers: 0 });
    expect((await getPeer(user.actor, peer.id)).expiresAt).not.toBeNull();
  });

  it("emails the owner 3 days before expiry, once", async () => {
    const now = new Date();
    const { user, peer } = await userWithDevice(serverId, null);
    const later = await userWithDevice(serverId, null);
    await setPeerExpiry(user.actor, peer.id, new Date(now.getTime() + 2 * DAY));
    await setPeerExpiry(later.user.actor, later.peer.id, new Date(now.getTime() + 5 * DAY));

    expect(await warnExpiringPeers(now)).toBe(1);
    const mail = await emailsTo(user.email);
    expect(mail.map((m) => m.template)).toEqual(["device_expiring"]);
    expect(mail[0]!.subject).toBe(`${peer.deviceName} expires soon`);
    expect(await emailsTo(later.user.email)).toEqual([]);
    expect(await warnExpiringPeers(now)).toBe(0);

    // Two and a half days on, the other device is within 3 days too.
    expect(await warnExpiringPeers(new Date(now.getTime() + 2.5 * DAY))).toBe(1);
    expect((await emailsTo(later.user.email)).map((m) => m.template)).toEqual(["device_expiring"]);

    // A new expiry warns again when its time comes.
    await setPeerExpiry(user.actor, peer.id, new Date(now.getTime() + 10 * DAY));
    expect(await warnExpiringPeers(now)).toBe(0);
    expect(await warnExpiringPeers(new Date(now.getTime() + 8 * DAY))).toBe(1);
  });

  it("re-enables in one click: clears the expiry, or extends it by the plan's days", async () => {
    const { user, peer } = await userWithDevice(serverId, null);
    await expireAgo(peer.id);
    await expirePeers(new Date());
    expect(await serverConfigText(serverId)).not.toContain(peer.publicKey);

    const version = await configVersion(serverId);
    const renewed = await renewPeer(user.actor, peer.id);
    expect(renewed.expiresAt).toBeNull();
    expect(await serverConfigText(serverId)).toContain(peer.publicKey);
    expect(await configVersion(serverId)).toBe(version + 1);

    const plan = await makePlan({ deviceExpiryDays: 7 });
    const planned = await userWithDevice(serverId, plan);
    await expireAgo(planned.peer.id);
    const now = new Date();
    const extended = await renewPeer(planned.user.actor, planned.peer.id, now);
    expect(new Date(extended.expiresAt!).getTime()).toBe(now.getTime() + 7 * DAY);
    expect(await serverConfigText(serverId)).toContain(planned.peer.publicKey);
    expect(await auditActions(planned.peer.id)).toContain("peer.renewed");
  });

  it("PATCH /api/vpn/peers/:id/expiry sets, validates and clears the expiry; only the owner or an admin", async () => {
    const owner = await makeUser();
    const created = await call(peersRoute.POST, { token: owner.token, body: { serverId, deviceName: "Tablet", deviceType: "android" } });
    const id = created.json.id as string;
    const when = minutesFrom(new Date(), 60 * 24 * 10).toISOString();

    const set = await call(expiryRoute.PATCH, { method: "PATCH", token: owner.token, params: { id }, body: { expiresAt: when } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ id, expiresAt: when });

    const past = await call(expiryRoute.PATCH, { method: "PATCH", token: owner.token, params: { id }, body: { expiresAt: "2020-01-01T00:00:00Z" } });
    expect(past.status).toBe(400);
    expect(past.json.error.details[0].path).toBe("expiresAt");
    const junk = await call(expiryRoute.PATCH, { method: "PATCH", token: owner.token, params: { id }, body: { expiresAt: "next tuesday" } });
    expect(junk.status).toBe(400);
    const far = await call(expiryRoute.PATCH, { method: "PATCH", token: owner.token, params: { id }, body: { expiresAt: "2999-01-01T00:00:00Z" } });
    expect(far.status).toBe(400);

    const other = await makeUser();
    expect((await call(expiryRoute.PATCH, { method: "PATCH", token: other.token, params: { id }, body: { expiresAt: null } })).status).toBe(404);
    const admin = await makeUser("admin");
    const byAdmin = await call(expiryRoute.POST, { token: admin.token, params: { id }, body: { expiresAt: null } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json.expiresAt).toBeNull();

    await revokePeer(owner.actor, id);
    expect((await call(expiryRoute.PATCH, { method: "PATCH", token: owner.token, params: { id }, body: { expiresAt: when } })).status).toBe(410);
    expect((await call(expiryRoute.PATCH, { method: "PATCH", params: { id }, body: { expiresAt: null } })).status).toBe(401);
  });
});
