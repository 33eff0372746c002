import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { AccountStatus, Role } from "@/db/schema";
import type { IncidentStatus, IncidentType, Severity } from "@/lib/abuse/types";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorizeUser, type Permission } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit";
import { isoOrNull } from "@/lib/format/instant";
import { onlineSince, peerSearchCondition, statusWhere, type AdminPeerStatusFilter } from "./admin-peers";

/**
 * CSV exports for administrators: users, devices, incidents. Each is
 * streamed in keyset batches (one statement per BATCH rows, whatever the
 * size), so an export of 100,000 accounts never sits in memory whole. Never
 * a key, a hash or a token: the columns are listed here, explicitly.
 */
export const EXPORT_BATCH = 1000;

type Cell = string | number | boolean | Date | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled. Security-critical: a text cell that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or a carriage
 * return) is prefixed with ' (OWASP "CSV injection"). Numbers stay numbers.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

// A stored instant JavaScript cannot hold (a handshake from before the range check) is an empty cell, never a failed export.
const iso = (v: unknown) => (v ? isoOrNull(v as Date | string) : null);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

interface ExportSpec<R extends { key: string; id: string }> {
  header: string[];
  /** The next batch after `after` (null: the first), in the export's order. */
  batch: (after: { key: string; id: string } | null, limit: number) => Promise<R[]>;
  cells: (row: R) => Cell[];
}

/** A stream of CSV text that asks the database for the next batch only when the client has read the previous one. */
function csvStream<R extends { key: string; id: string }>(spec: ExportSpec<R>, batchSize = EXPORT_BATCH): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { key: string; id: string } | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(spec.header)));
        return;
      }
      const found = await spec.batch(after, batchSize);
      if (found.length) controller.enqueue(encoder.encode(found.map((r) => csvRow(spec.cells(r))).join("")));
      if (found.length < batchSize) controller.close();
      else after = { key: found[found.length - 1]!.key, id: found[found.length - 1]!.id };
    },
  });
}

const and = (parts: (SQL | undefined)[]) => {
  const all = parts.filter((p): p is SQL => !!p);
  return all.length ? sql`where ${sql.join(all, sql` and `)}` : sql``;
};
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// Keys keep microseconds: a JS Date would round them and skip or repeat rows across batches.
const usKey = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface UsersExportFilters {
  q?: string;
  role?: Role;
  status?: AccountStatus;
}

type UserRow = { key: string; id: string; email: string; name: string | null; role: string; status: string; statusReason: string | null; plan: string | null; activeDevices: unknown; createdAt: unknown; lastLoginAt: unknown };

function usersSpec(f: UsersExportFilters): ExportSpec<UserRow> {
  const q = f.q?.trim().toLowerCase().slice(0, 254);
  return {
    header: ["id", "email", "name", "role", "status", "status_reason", "plan", "active_devices", "created_at", "last_login_at"],
    batch: async (after, limit) =>
      rows<UserRow>(
        await getDb(),
        sql`select u.id, u.email, u.name, u.role, u.status, u.status_reason as "statusReason",
              (select pl.name from subscriptions su join plans pl on pl.id = su.plan_id
                where su.user_id = u.id order by (su.status <> 'cancelled') desc, su.started_at desc limit 1) as plan,
              (select count(*) from wireguard_peers p where p.user_id = u.id and p.status = 'active') as "activeDevices",
              u.created_at as "createdAt", u.last_login_at as "lastLoginAt", ${usKey(sql`u.created_at`)} as key
            from users u
            ${and([
              q ? sql`lower(u.email) like ${`%${escapeLike(q)}%`}` : undefined,
              f.role ? sql`u.role = ${f.role}` : undefined,
              f.status ? sql`u.status = ${f.status}` : undefined,
              after ? sql`(u.created_at, u.id) < (${after.key}::timestamptz, ${after.id})` : undefined,
            ])}
            order by u.created_at desc, u.id desc limit ${limit}`,
      ),
    cells: (r) => [r.id, r.email, r.name, r.role, r.status, r.statusReason, r.plan, num(r.activeDevices), iso(r.createdAt), iso(r.lastLoginAt)],
  };
}

export interface DevicesExportFilters {
  q?: string;
  serverId?: string;
  status?: AdminPeerStatusFilter;
}

type DeviceRow = {
  key: string;
  id: string;
  ownerEmail: string;
  deviceName: string;
  deviceType: string;
  serverName: string;
  ipv4: string;
  ipv6: string;
  publicKey: string;
  status: string;
  online: unknown;
  lastHandshakeAt: unknown;
  bytesSent: unknown;
  bytesReceived: unknown;
  nextKeyRotationAt: unknown;
  expiresAt: unknown;
  createdAt: unknown;
};

/** In id order: each batch is a range of the primary key, so 100,000 devices stream in one pass of the index. */
function devicesSpec(f: DevicesExportFilters): ExportSpec<DeviceRow> {
  return {
    header: [
      "id",
      "owner_email",
      "device_name",
      "device_type",
      "server",
      "ipv4",
      "ipv6",
      "public_key",
      "status",
      "online",
      "last_handshake_at",
      "bytes_sent",
      "bytes_received",
      "next_key_rotation_at",
      "expires_at",
      "created_at",
    ],
    batch: async (after, limit) =>
      rows<DeviceRow>(
        await getDb(),
        sql`select p.id, u.email as "ownerEmail", p.device_name as "deviceName", p.device_type as "deviceType", s.name as "serverName",
              p.ipv4, p.ipv6, p.public_key as "publicKey", p.status,
              (p.status = 'active' and coalesce(l.last_handshake_at >= ${onlineSince}, false)) as online,
              l.last_handshake_at as "lastHandshakeAt", coalesce(l.bytes_sent, 0) as "bytesSent", coalesce(l.bytes_received, 0) as "bytesReceived",
              p.next_key_rotation_at as "nextKeyRotationAt", p.expires_at as "expiresAt", p.created_at as "createdAt", p.id as key
            from (select p.id from wireguard_peers p left join peer_live_stats l on l.peer_id = p.id
                  ${and([
                    peerSearchCondition(f.q),
                    f.serverId ? sql`p.server_id = ${f.serverId}` : undefined,
                    statusWhere(f.status),
                    after ? sql`p.id > ${after.id}` : undefined,
                  ])}
                  order by p.id limit ${limit}) b
            join wireguard_peers p on p.id = b.id
            join users u on u.id = p.user_id
            join vpn_servers s on s.id = p.server_id
            left join peer_live_stats l on l.peer_id = p.id
            order by p.id`,
      ),
    cells: (r) => [
      r.id,
      r.ownerEmail,
      r.deviceName,
      r.deviceType,
      r.serverName,
      r.ipv4,
      r.ipv6,
      r.publicKey,
      r.status,
      r.online === true || r.online === "t" || r.online === "true",
      iso(r.lastHandshakeAt),
      num(r.bytesSent),
      num(r.bytesReceived),
      iso(r.nextKeyRotationAt),
      iso(r.expiresAt),
      iso(r.createdAt),
    ],
  };
}

export interface IncidentsExportFilters {
  status?: IncidentStatus;
  type?: IncidentType;
  severity?: Severity;
}

type IncidentRow = {
  key: string;
  id: string;
  userEmail: string;
  incidentType: string;
  severity: string;
  status: string;
  detectionMethod: string;
  actionTaken: string;
  warningSent: unknown;
  description: string;
  detectedAt: unknown;
  resolvedAt: unknown;
  resolutionNote: string | null;
};

function incidentsSpec(f: IncidentsExportFilters): ExportSpec<IncidentRow> {
  return {
    header: ["id", "user_email", "type", "severity", "status", "detection_method", "action_taken", "warning_sent", "description", "detected_at", "resolved_at", "resolution_note"],
    batch: async (after, limit) =>
      rows<IncidentRow>(
        await getDb(),
        sql`select a.id, u.email as "userEmail", a.incident_type as "incidentType", a.severity, a.status, a.detection_method as "detectionMethod",
              a.action_taken as "actionTaken", a.warning_sent as "warningSent", a.description, a.detected_at as "detectedAt",
              a.resolved_at as "resolvedAt", a.resolution_note as "resolutionNote", ${usKey(sql`a.detected_at`)} as key
            from abuse_detection_logs a join users u on u.id = a.user_id
            ${and([
              f.status ? sql`a.status = ${f.status}` : undefined,
              f.type ? sql`a.incident_type = ${f.type}` : undefined,
              f.severity ? sql`a.severity = ${f.severity}` : undefined,
              after ? sql`(a.detected_at, a.id) < (${after.key}::timestamptz, ${after.id})` : undefined,
            ])}
            order by a.detected_at desc, a.id desc limit ${limit}`,
      ),
    cells: (r) => [
      r.id,
      r.userEmail,
      r.incidentType,
      r.severity,
      r.status,
      r.detectionMethod,
      r.actionTaken,
      r.warningSent === true || r.warningSent === "t" || r.warningSent === "true",
      r.description,
      iso(r.detectedAt),
      iso(r.resolvedAt),
      r.resolutionNote,
    ],
  };
}

export type ExportKind = "users" | "devices" | "incidents";

const PERMISSION: Record<ExportKind, Permission> = { users: "users.manage", devices: "admin.view", incidents: "abuse.manage" };

type FiltersOf<K extends ExportKind> = K extends "users" ? UsersExportFilters : K extends "devices" ? DevicesExportFilters : IncidentsExportFilters;

/**
 * An export as a stream of CSV text. The permission is checked and the
 * export recorded in the audit log (who, what, which filters) before the
 * first byte, so a refused caller gets an error answer, not a broken file.
 */
export async function exportCsv<K extends ExportKind>(
  actor: Actor,
  kind: K,
  filters: FiltersOf<K>,
  opts: { ip?: string | null; batchSize?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  authorizeUser(actor, PERMISSION[kind]);
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== ""));
  await recordAudit(await getDb(), actor as UserActor, `export.${kind}`, null, { filters: clean }, opts.ip);
  if (kind === "users") return csvStream(usersSpec(filters as UsersExportFilters), opts.batchSize);
  if (kind === "devices") return csvStream(devicesSpec(filters as DevicesExportFilters), opts.batchSize);
  return csvStream(incidentsSpec(filters as IncidentsExportFilters), opts.batchSize);
}
