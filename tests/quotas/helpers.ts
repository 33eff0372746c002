import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { emailOutbox, plans, users, vpnServers } from "@/db/schema";
import { systemActor } from "@/lib/auth/actor";
import { changeUserPlan } from "@/lib/services/plans";
import { createPeer } from "@/lib/services/peers";
import { ingestDump } from "@/lib/services/telemetry";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

let planCounter = 0;

/** A plan row with the given allowance (GB) and default device lifetime (days). */
export async function makePlan(opts: { monthlyDataGb?: number | null; deviceExpiryDays?: number | null } = {}) {
  const db = await getDb();
  const id = `test-plan-${++planCounter}-${Math.random().toString(36).slice(2, 6)}`;
  await db.insert(plans).values({ id, name: `Plan ${planCounter}`, priceCents: 100, monthlyDataGb: opts.monthlyDataGb ?? null, deviceExpiryDays: opts.deviceExpiryDays ?? null });
  return id;
}

export const subscribe = (userId: string, planId: string) => changeUserPlan(systemActor("test"), userId, planId);

/** A user on `planId` (optionally in a time zone) with one device on `serverId`. */
export async function userWithDevice(serverId: string, planId: string | null, timeZone: string | null = null) {
  const user = await makeUser();
  if (timeZone) await (await getDb()).update(users).set({ timeZone }).where(eq(users.id, user.id));
  if (planId) await subscribe(user.id, planId);
  const peer = await createPeer(user.actor, { serverId, deviceName: `Phone ${Math.random().toString(36).slice(2, 6)}`, deviceType: "ios" });
  return { user, peer };
}

export { makeServer, makeUser };

const counters = new Map<string, number>();

/** The agent's push at `at`: the device has sent `bytes` more since the last push (a real traffic sample). */
export async function addTraffic(serverId: string, publicKey: string, bytes: number, at: Date) {
  const total = (counters.get(publicKey) ?? 0) + bytes;
  counters.set(publicKey, total);
  await ingestDump(serverId, makeDump([{ publicKey, rx: total, tx: 0, handshake: at, endpoint: "203.0.113.9:5000" }]), at);
}

export async function userRow(userId: string) {
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  return u!;
}

export async function configVersion(serverId: string) {
  const db = await getDb();
  const [s] = await db.select({ v: vpnServers.configVersion }).from(vpnServers).where(eq(vpnServers.id, serverId));
  return s!.v;
}

export async function emailsTo(address: string) {
  const db = await getDb();
  const found = await db.select({ template: emailOutbox.template, subject: emailOutbox.subject, text: emailOutbox.text }).from(emailOutbox).where(eq(emailOutbox.toAddress, address)).orderBy(emailOutbox.createdAt);
  return found.filter((m) => m.template !== "welcome");
}

export async function auditActions(targetId: string) {
  const db = await getDb();
  const found = await rows<{ action: string }>(db, sql`select action from audit_log where target_id = ${targetId} order by id`);
  return found.map((r) => r.action);
}
