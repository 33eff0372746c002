import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { generate } from "otplib";
import { getDb, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { auditLog, users } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { createAccount } from "@/lib/services/accounts";
import { createPeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { startSession } from "@/lib/services/sessions";
import { verifyCredentials } from "@/lib/services/sign-in";
import { createTicket } from "@/lib/services/support";
import { requestPlanChange } from "@/lib/services/plan-requests";
import { deleteAccount } from "@/lib/services/delete-account";
import { enableTwoFactor, startTwoFactorSetup } from "@/lib/services/two-factor";
import { ingestDump } from "@/lib/services/telemetry";
import * as me from "@/app/api/me/route";
import * as peers from "@/app/api/vpn/peers/route";
import * as agentConfig from "@/app/api/agent/config/route";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

/** PGlite runs one transaction at a time and would hide races: those run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

const COOKIE = "authjs.session-token";
const fromApp = { origin: "http://localhost:3000", host: "localhost:3000" };

/** A signed-in browser: its session record and cookie. */
async function browser(userId: string) {
  const sid = await startSession(userId, { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", ip: "203.0.113.44" });
  const token = await encode({ token: { sub: userId, sid }, secret: getRuntimeSecrets().authSecret, salt: COOKIE });
  return { ...fromApp, cookie: `${COOKIE}=${token}` };
}

const del = (opts: { token?: string; headers?: Record<string, string> }, body: unknown) => call(me.DELETE, { method: "DELETE", ...opts, body });

let server: Awaited<ReturnType<typeof makeServer>>;

beforeAll(async () => {
  resetEnv({ DEFAULT_DEVICE_LIMIT: "1000", KEY_ROTATION_GRACE_DAYS: "7" });
  await makeUser("admin");
  server = await makeServer({ ipv4Pool: "10.71.0.0/24" });
});

describe("DELETE /api/me", () => {
  it("a wrong password is 400 and changes nothing; it is audited", async () => {
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "Phone", deviceType: "ios" });
    const res = await del({ token: u.token }, { password: "not my password" });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "validation_error", details: [{ path: "password", message: expect.any(String) }] });
    expect((await del({ token: u.token }, {})).status).toBe(400);
    expect((await call(me.GET, { token: u.token })).json.email).toBe(u.email);
    expect((await call(agentConfig.GET, { token: server.agentToken })).text).toContain(peer.publicKey);
    const db = await getDb();
    const refused = await db.select({ metadata: auditLog.metadata }).from(auditLog).where(sql`${auditLog.action} = 'account.delete_refused' and ${auditLog.targetId} = ${u.id}`);
    expect(refused[0]!.metadata).toEqual({ reason: "wrong_password" });
  });

  it("with the password: devices leave the servers, personal data goes, tickets and usage stay anonymised, nothing signs in", async () => {
    const u = await makeUser();
    const db = await getDb();
    await db.update(users).set({ timeZone: "Europe/Paris" }).where(eq(users.id, u.id));
    const phone = await createPeer(u.actor, { serverId: server.id, deviceName: "Alice's phone", deviceType: "ios" });
    const laptop = await createPeer(u.actor, { serverId: server.id, deviceName: "Alice's laptop", deviceType: "linux" });
    const rotated = await rotatePeer(u.actor, laptop.id); // an old key in grace, still in the config
    const at = new Date();
    await ingestDump(server.id, makeDump([{ publicKey: phone.publicKey, rx: 1234, tx: 99, handshake: at, endpoint: "198.51.100.77:5000" }]), at);
    const ticket = await createTicket(u.actor, { subject: "Slow in Lisbon", description: "Speeds drop every evening", category: "vpn_connection", priority: "medium" });
    await requestPlanChange(u.actor, "premium");
    const cookie = await browser(u.id);
    expect((await call(me.GET, { headers: cookie })).status).toBe(200);
    // Audit lines with client addresses: the account's own actions (one a refused deletion), an admin's action on it, someone else's.
    const admin = await makeUser("admin");
    const bystander = await makeUser();
    await recordAudit(db, u.actor, "auth.sign_in", { type: "user", id: u.id }, undefined, "198.51.100.23");
    await recordAudit(db, u.actor, "token.created", { type: "api_token", id: "t1" }, undefined, "2001:db8::23");
    await expect(deleteAccount(u.actor, { password: "not my password" }, "198.51.100.24")).rejects.toMatchObject({ code: "validation_error" });
    await recordAudit(db, admin.actor, "account.status_changed", { type: "user", id: u.id }, { status: "active" }, "192.0.2.10");
    await recordAudit(db, bystander.actor, "auth.sign_in", { type: "user", id: bystander.id }, undefined, "192.0.2.11");
    const ipsOf = async (actorId: string) =>
      (await rows<{ action: string; ip: string | null }>(db, sql`select action, ip from audit_log where actor_id = ${actorId} order by id`)).map((r) => [r.action, r.ip]);
    expect((await ipsOf(u.id)).filter(([, ip]) => ip !== null)).toHaveLength(3);
    const before = (await call(agentConfig.GET, { token: server.agentToken })).text;
    for (const k of [phone.publicKey, laptop.publicKey, rotated.publicKey]) expect(before).toContain(k);
    const etag = (await call(agentConfig.GET, { token: server.agentToken })).headers.get("etag")!;

    const res = await del({ headers: cookie }, { password: u.password });
    expect(res.status).toBe(204);

    // Out of the server's config at its next sync (the version moved on, so the ETag no longer matches).
    const after = await call(agentConfig.GET, { token: server.agentToken, headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    for (const k of [phone.publicKey, laptop.publicKey, rotated.publicKey]) expect(after.text).not.toContain(k);
    const devices = await rows<{ status: string; device_name: string; private_key_sealed: string | null }>(
      db,
      sql`select status, device_name, private_key_sealed from wireguard_peers where user_id = ${u.id}`,
    );
    expect(devices).toHaveLength(2);
    for (const d of devices) expect(d).toEqual({ status: "revoked", device_name: "Deleted device", private_key_sealed: null });
    const held = await rows(db, sql`select 1 from ip_leases where peer_id in (${phone.id}, ${laptop.id}) and state = 'held'`);
    expect(held).toEqual([]);

    // Personal data.
    const [row] = await db.select().from(users).where(eq(users.id, u.id));
    expect(row).toMatchObject({
      email: `deleted-${u.id}@deleted.invalid`,
      name: null,
      passwordHash: null,
      timeZone: null,
      totpSecretSealed: null,
      totpEnabledAt: null,
    });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    const count = async (q: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(db, q))[0]!.n);
    expect(await count(sql`select count(*)::int as n from api_tokens where user_id = ${u.id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from user_sessions where user_id = ${u.id} and (ended_at is null or ip is not null or user_agent is not null)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from email_outbox where lower(to_address) = lower(${u.email})`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from sign_in_attempts where user_id = ${u.id}`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from traffic_samples where user_id = ${u.id} and client_ip is not null`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from connection_sessions where user_id = ${u.id} and (client_ip is not null or ended_at is null)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from plan_change_requests where user_id = ${u.id} and status = 'pending'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from subscriptions where user_id = ${u.id} and status <> 'cancelled'`)).toBe(0);

    // Kept, without the person: the ticket (its words, not its device snapshot) and the usage.
    const [t] = await rows<{ subject: string; description: string; snapshot: boolean }>(
      db,
      sql`select subject, description, metadata ? 'deviceSnapshot' as snapshot from support_tickets where id = ${ticket.id}`,
    );
    expect(t).toEqual({ subject: "Slow in Lisbon", description: "Speeds drop every evening", snapshot: false });
    expect(await count(sql`select count(*)::int as n from traffic_samples where user_id = ${u.id}`)).toBeGreaterThan(0);

    // Nothing opens the account any more: the cookie, the API token, the password.
    expect((await call(me.GET, { headers: cookie })).status).toBe(401);
    expect((await call(me.GET, { token: u.token })).status).toBe(401);
    expect((await call(peers.POST, { token: u.token, body: { serverId: server.id, deviceName: "Again", deviceType: "ios" } })).status).toBe(401);
    expect(await verifyCredentials(u.email, u.password, null)).toMatchObject({ ok: false });
    expect(await verifyCredentials(`deleted-${u.id}@deleted.invalid`, u.password, null)).toMatchObject({ ok: false });

    // Audited (no address in it), and the address is free for a new account.
    const audit = await db.select({ metadata: auditLog.metadata, ip: auditLog.ip }).from(auditLog).where(sql`${auditLog.action} = 'account.deleted' and ${auditLog.targetId} = ${u.id}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.metadata).toMatchObject({ devicesRevoked: 2, graceKeysRetired: 1, auditAddressesCleared: 3 });
    expect(JSON.stringify(audit[0]!.metadata)).not.toContain(u.email);
    // The audit lines of the account's own actions stay without their client addresses (the deletion's too); others' keep theirs.
    const own = await ipsOf(u.id);
    expect(own.map(([action]) => action)).toEqual(expect.arrayContaining(["auth.sign_in", "token.created", "account.delete_refused", "account.deleted"]));
    expect(own.filter(([, ip]) => ip !== null)).toEqual([]);
    expect(await ipsOf(admin.id)).toContainEqual(["account.status_changed", "192.0.2.10"]);
    expect(await ipsOf(bystander.id)).toContainEqual(["auth.sign_in", "192.0.2.11"]);
    await expect(createAccount({ email: u.email, password: "another long password" }, null)).resolves.toMatchObject({ email: u.email });
  });

  it("with two-factor on, the code (or a recovery code) is required too", async () => {
    const u = await makeUser();
    const { secret } = await startTwoFactorSetup(u.actor);
    const { recoveryCodes } = await enableTwoFactor(u.actor, await generate({ secret }), null);

    const noCode = await del({ token: u.token }, { password: u.password });
    expect(noCode.status).toBe(400);
    expect(noCode.json.error.details[0].path).toBe("code");
    const wrong = await del({ token: u.token }, { password: u.password, code: "000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details[0].path).toBe("code");
    expect((await call(me.GET, { token: u.token })).status).toBe(200);

    // The next time step's code: the one used to enable two-factor cannot be used again.
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect((await del({ token: u.token }, { password: u.password, code })).status).toBe(204);
    expect((await call(me.GET, { token: u.token })).status).toBe(401);

    const v = await makeUser();
    const setup = await startTwoFactorSetup(v.actor);
    const codes = (await enableTwoFactor(v.actor, await generate({ secret: setup.secret }), null)).recoveryCodes;
    expect((await del({ token: v.token }, { password: v.password, code: codes[3] })).status).toBe(204);
    expect(recoveryCodes).toHaveLength(10);
  });

  it("the last active administrator cannot delete their account; with another one, they can", async () => {
    const db = await getDb();
    // Only this admin is active.
    await db.execute(sql`update users set status = 'suspended' where role = 'admin'`);
    const admin = await makeUser("admin");
    const refused = await del({ token: admin.token }, { password: admin.password });
    expect(refused.status).toBe(409);
    expect((await call(me.GET, { token: admin.token })).status).toBe(200);
    await makeUser("admin");
    expect((await del({ token: admin.token }, { password: admin.password })).status).toBe(204);
  });

  it("deleting a deleted account again is refused", async () => {
    const u = await makeUser();
    await deleteAccount(u.actor, { password: u.password }, null);
    await expect(deleteAccount(u.actor, { password: u.password }, null)).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe.skipIf(!onPostgres)("account deletion under concurrency (PostgreSQL)", () => {
  it("deleting an account while its devices are being created leaves no device of it in any config", async () => {
    for (let round = 0; round < 3; round++) {
      const u = await makeUser();
      await createPeer(u.actor, { serverId: server.id, deviceName: "first", deviceType: "ios" });
      // Four workers keep creating devices until the deletion has settled, then try once more.
      let settled = false;
      let n = 0;
      const outcomes: string[] = [];
      const create = () => createPeer(u.actor, { serverId: server.id, deviceName: `d${round}-${n++}`, deviceType: "other" });
      const worker = async () => {
        while (!settled) {
          await create().then(
            () => outcomes.push("created"),
            (err) => outcomes.push(err.code),
          );
        }
        await expect(create()).rejects.toMatchObject({ code: "unauthenticated" });
      };
      const deletion = deleteAccount(u.actor, { password: u.password }, null).finally(() => {
        settled = true;
      });
      await Promise.all([deletion, worker(), worker(), worker(), worker()]);
      expect(outcomes.filter((o) => o !== "created" && o !== "unauthenticated")).toEqual([]);
      expect(outcomes).toContain("created");
      const db = await getDb();
      const active = await rows(db, sql`select id from wireguard_peers where user_id = ${u.id} and status = 'active'`);
      expect(active).toEqual([]);
      const held = await rows(db, sql`select 1 from ip_leases l join wireguard_peers p on p.id = l.peer_id where p.user_id = ${u.id} and l.state = 'held'`);
      expect(held).toEqual([]);
      const keys = await rows<{ public_key: string }>(db, sql`select public_key from wireguard_peers where user_id = ${u.id}`);
      const conf = (await call(agentConfig.GET, { token: server.agentToken })).text;
      for (const k of keys) expect(conf).not.toContain(k.public_key);
    }
  });
});
