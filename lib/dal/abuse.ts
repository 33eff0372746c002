import "server-only";
import { and, desc, eq, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, auditLog, connectionSessions, users, vpnServers } from "@/db/schema";
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES, type IncidentStatus, type IncidentType, type Severity } from "@/lib/abuse/types";
import type { AccountStatus } from "@/db/schema/users";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { incidentColumns, loadIncident, toIncidentDto, type IncidentDto, type IncidentRow } from "./abuse-incident";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";

/** Reads for the abuse queue (/admin/abuse, /api/admin/abuse). Admins only, checked here. */
export type { IncidentDto };

export interface IncidentFilters {
  status?: IncidentStatus;
  type?: IncidentType;
  severity?: Severity;
  limit?: number;
  cursor?: string | null;
}

const l = abuseDetectionLogs;
// Pending first, then investigating, then the closed ones; newest first within each.
const rank = sql<number>`(case ${l.status} when 'pending' then 0 when 'investigating' then 1 else 2 end)`;
const detectedKey = timestampKey(sql`${l.detectedAt}`);

export async function listIncidents(actor: Actor, f: IncidentFilters = {}): Promise<{ items: IncidentDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "abuse.manage");
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const after = f.cursor ? (([r, at, id]) => ({ rank: Number(r), at, id }))(decodeCursor(f.cursor, ["int", "time", "id"] as const)) : null;
  const db = await getDb();
  const found = await db
    .select({ ...incidentColumns, rank, key: detectedKey })
    .from(l)
    .innerJoin(users, eq(users.id, l.userId))
    .where(
      and(
        f.status ? eq(l.status, f.status) : undefined,
        f.type ? eq(l.incidentType, f.type) : undefined,
        f.severity ? eq(l.severity, f.severity) : undefined,
        after
          ? sql`(${rank} > ${after.rank} or (${rank} = ${after.rank} and (${l.detectedAt}, ${l.id}) < (${after.at}::timestamptz, ${after.id})))`
          : undefined,
      ),
    )
    .orderBy(rank, desc(l.detectedAt), desc(l.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toIncidentDto(r as IncidentRow)),
    nextCursor: found.length > limit && last ? encodeCursor([Number(last.rank), last.key, last.id]) : null,
  };
}

export async function getIncident(actor: Actor, id: string): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  return loadIncident(await getDb(), id);
}

export interface UserSessionDto {
  id: string;
  serverId: string;
  serverName: string | null;
  clientIp: string | null;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  bytesUp: number;
  bytesDown: number;
}

export interface IncidentHistoryEntry {
  id: number;
  action: string;
  actorKind: string;
  actorEmail: string | null;
  note: string | null;
  /** A throttle's rate and end, for the throttle entries. */
  rateKbit: number | null;
  until: string | null;
  createdAt: string;
}

export interface IncidentDetail {
  incident: IncidentDto;
  user: { id: string; email: string; status: AccountStatus; statusReason: string | null };
  sessions: UserSessionDto[];
  history: IncidentHistoryEntry[];
}

export const RECENT_SESSIONS = 20;
const actorUser = alias(users, "actor_user");

/** The incident page: the incident, its user's account, their last 20 sessions and the incident's audit trail. */
export async function getIncidentDetail(actor: Actor, id: string): Promise<IncidentDetail> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  const incident = await loadIncident(db, id);
  const cs = connectionSessions;
  const [[user], sessions, history] = await Promise.all([
    db.select({ id: users.id, email: users.email, status: users.status, statusReason: users.statusReason }).from(users).where(eq(users.id, incident.userId)),
    db
      .select({
        id: cs.id,
        serverId: cs.serverId,
        serverName: vpnServers.name,
        clientIp: cs.clientIp,
        startedAt: cs.startedAt,
        endedAt: cs.endedAt,
        lastSeenAt: cs.lastSeenAt,
        bytesUp: cs.bytesUp,
        bytesDown: cs.bytesDown,
      })
      .from(cs)
      .leftJoin(vpnServers, eq(vpnServers.id, cs.serverId))
      .where(eq(cs.userId, incident.userId))
      .orderBy(desc(cs.startedAt), desc(cs.id))
      .limit(RECENT_SESSIONS),
    db
      .select({ id: auditLog.id, action: auditLog.action, actorKind: auditLog.actorKind, actorEmail: actorUser.email, metadata: auditLog.metadata, createdAt: auditLog.createdAt })
      .from(auditLog)
      .leftJoin(actorUser, and(eq(auditLog.actorKind, "user"), eq(actorUser.id, auditLog.actorId)))
      // The incident's own moves, and the throttles linked to it (audited under the user, naming the incident).
      .where(
        or(
          and(eq(auditLog.targetType, "abuse_incident"), eq(auditLog.targetId, id)),
          and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, incident.userId), sql`${auditLog.metadata}->>'incidentId' = ${id}`),
        ),
      )
      .orderBy(auditLog.id)
      .limit(100),
  ]);
  return {
    incident,
    user: { id: user.id, email: user.email, status: user.status, statusReason: user.statusReason },
    sessions: sessions.map((s) => ({
      id: s.id,
      serverId: s.serverId,
      serverName: s.serverName,
      clientIp: s.clientIp,
      startedAt: s.startedAt.toISOString(),
      endedAt: s.endedAt ? s.endedAt.toISOString() : null,
      durationSeconds: Math.max(0, Math.round(((s.endedAt ?? s.lastSeenAt).getTime() - s.startedAt.getTime()) / 1000)),
      bytesUp: Number(s.bytesUp),
      bytesDown: Number(s.bytesDown),
    })),
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      actorKind: h.actorKind,
      actorEmail: h.actorEmail,
      note: typeof h.metadata?.note === "string" ? h.metadata.note : typeof h.metadata?.reason === "string" ? h.metadata.reason : null,
      rateKbit: typeof h.metadata?.rateKbit === "number" ? h.metadata.rateKbit : null,
      until: typeof h.metadata?.until === "string" ? h.metadata.until : null,
      createdAt: h.createdAt.toISOString(),
    })),
  };
}

export interface AbuseStatsDto {
  periodDays: number;
  since: string;
  /** Incidents detected in the period. */
  total: number;
  /** Open now, whenever detected. */
  pending: number;
  investigating: number;
  byType: Record<IncidentType, number>;
  bySeverity: Record<Severity, number>;
  byStatus: Record<IncidentStatus, number>;
  byTypeAndSeverity: Record<IncidentType, Record<Severity, number>>;
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The seed's get_abuse_statistics: totals by type, severity and status over the last `days` (default 30), and the open counts. */
export async function getAbuseStats(actor: Actor, opts: { days?: number } = {}): Promise<AbuseStatsDto> {
  authorizeUser(actor, "abuse.manage");
  const days = Math.min(Math.max(Math.trunc(opts.days ?? 30), 1), 3650);
  const since = new Date(Date.now() - days * 86_400_000);
  const db = await getDb();
  const [groups, [open]] = await Promise.all([
    db
      .select({ type: l.incidentType, severity: l.severity, status: l.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(l)
      .where(sql`${l.detectedAt} >= ${since.toISOString()}::timestamptz`)
      .groupBy(l.incidentType, l.severity, l.status),
    db
      .select({
        pending: sql<number>`count(*) filter (where ${l.status} = 'pending')`.mapWith(Number),
        investigating: sql<number>`count(*) filter (where ${l.status} = 'investigating')`.mapWith(Number),
      })
      .from(l)
      .where(sql`${l.status} in ('pending', 'investigating')`),
  ]);
  const stats: AbuseStatsDto = {
    periodDays: days,
    since: since.toISOString(),
    total: 0,
    pending: open?.pending ?? 0,
    investigating: open?.investigating ?? 0,
    byType: zeros(INCIDENT_TYPES),
    bySeverity: zeros(SEVERITIES),
    byStatus: zeros(INCIDENT_STATUSES),
    byTypeAndSeverity: Object.fromEntries(INCIDENT_TYPES.map((t) => [t, zeros(SEVERITIES)])) as Record<IncidentType, Record<Severity, number>>,
  };
  for (const g of groups) {
    stats.total += g.n;
    stats.byType[g.type] += g.n;
    stats.bySeverity[g.severity] += g.n;
    stats.byStatus[g.status] += g.n;
    stats.byTypeAndSeverity[g.type][g.severity] += g.n;
  }
  return stats;
}
