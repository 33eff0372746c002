import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, connectionSessions, trafficSamples } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { createPeer } from "@/lib/services/peers";
import { makeServer, makeUser } from "../support/factories";

/** Telemetry fixtures for the detectors: real users, servers and peers (foreign keys hold), rows inserted directly. */
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

let slot = 0;
/** A distinct "now" per test, a week apart, so one test's windows never see another's telemetry. */
export function freshNow(): Date {
  slot++;
  return new Date(Date.UTC(2031, 0, 1) + slot * 7 * 24 * HOUR);
}

export const THRESHOLD_VARS = [
  "EXCESSIVE_BANDWIDTH_GB_PER_DAY",
  "RAPID_RECONNECT_COUNT",
  "MAX_CONCURRENT_CONNECTIONS",
  "SUSPICIOUS_TRAFFIC_RATIO",
  "SUSPICIOUS_TRAFFIC_MIN_MB",
  "ACCOUNT_SHARING_THRESHOLD",
  "ABUSE_AUTO_SUSPEND",
  "ABUSE_AUTO_THROTTLE",
  "ABUSE_AUTO_THROTTLE_KBIT",
  "ABUSE_AUTO_THROTTLE_HOURS",
] as const;

/** Back to the defaults of lib/env.ts, then the given overrides. */
export function setThresholds(overrides: Partial<Record<(typeof THRESHOLD_VARS)[number], string>> = {}) {
  resetEnv(Object.fromEntries(THRESHOLD_VARS.map((k) => [k, overrides[k]])));
}

export async function makeSubject(devices = 1) {
  const server = await makeServer();
  const user = await makeUser();
  const peers = [];
  for (let i = 0; i < devices; i++) {
    peers.push(await createPeer(user.actor, { serverId: server.id, deviceName: `device-${i}`, deviceType: "linux" }));
  }
  return { server, user, peers, peer: peers[0] };
}

type Subject = Awaited<ReturnType<typeof makeSubject>>;

export async function addSample(s: Subject, at: Date, up: number, down: number, clientIp: string | null = "198.51.100.10", peerIndex = 0) {
  const db = await getDb();
  const peer = s.peers[peerIndex];
  await db.insert(trafficSamples).values({ peerId: peer.id, userId: s.user.id, serverId: s.server.id, sampledAt: at, bytesUp: up, bytesDown: down, clientIp });
}

export async function addSession(
  s: Subject,
  o: { start: Date; end?: Date | null; lastSeen?: Date; ip?: string | null; peerIndex?: number; up?: number; down?: number },
) {
  const db = await getDb();
  const peer = s.peers[o.peerIndex ?? 0];
  const [row] = await db
    .insert(connectionSessions)
    .values({
      peerId: peer.id,
      userId: s.user.id,
      serverId: s.server.id,
      clientIp: o.ip === undefined ? "198.51.100.10" : o.ip,
      startedAt: o.start,
      lastSeenAt: o.lastSeen ?? o.end ?? o.start,
      endedAt: o.end ?? null,
      bytesUp: o.up ?? 0,
      bytesDown: o.down ?? 0,
    })
    .returning({ id: connectionSessions.id });
  return row.id;
}

/** `count` short closed sessions started inside the last hour before `now`. */
export async function addReconnects(s: Subject, now: Date, count: number) {
  const db = await getDb();
  const peer = s.peer;
  const values = Array.from({ length: count }, (_, i) => {
    const start = ago(now, 50 * MIN - i * 1000);
    return { peerId: peer.id, userId: s.user.id, serverId: s.server.id, clientIp: "198.51.100.20", startedAt: start, lastSeenAt: new Date(start.getTime() + 500), endedAt: new Date(start.getTime() + 500) };
  });
  await db.insert(connectionSessions).values(values);
}

export async function incidentsOf(userId: string) {
  const db = await getDb();
  return db.select().from(abuseDetectionLogs).where(eq(abuseDetectionLogs.userId, userId)).orderBy(abuseDetectionLogs.detectedAt);
}

export async function countIncidents() {
  const db = await getDb();
  const [r] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(abuseDetectionLogs);
  return r.n;
}
