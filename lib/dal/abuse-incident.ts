import "server-only";
import { eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { abuseDetectionLogs, users } from "@/db/schema";
import type { ActionTaken, DetectionMethod, IncidentStatus, IncidentType, Severity } from "@/lib/abuse/types";
import { notFound } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";

/**
 * An incident as API.md names it, plus userEmail and what the mitigations
 * added: whether a warning went out (when, by whom), who opened it by hand
 * or from which ticket. People appear by email, never by internal id.
 */
export interface IncidentDto {
  id: string;
  userId: string;
  userEmail: string;
  incidentType: IncidentType;
  severity: Severity;
  description: string;
  metadata: Record<string, unknown>;
  detectionMethod: DetectionMethod;
  actionTaken: ActionTaken;
  status: IncidentStatus;
  detectedAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  /** A warning email went to the user (a field of its own, beside actionTaken). */
  warningSent: boolean;
  warningSentAt: string | null;
  warningSentBy: string | null;
  /** Who opened it by hand (manual) or from a ticket (user_report); null for the scan's. */
  reportedBy: string | null;
  /** The support ticket a user_report came from. */
  ticketId: string | null;
}

const l = abuseDetectionLogs;
const emailOf = (id: AnyPgColumn) => sql<string | null>`(select e.email from users e where e.id = ${id})`;

/** The explicit columns an incident DTO is built from (join `users` on the incident's user). */
export const incidentColumns = {
  id: l.id,
  userId: l.userId,
  userEmail: users.email,
  incidentType: l.incidentType,
  severity: l.severity,
  description: l.description,
  metadata: l.metadata,
  detectionMethod: l.detectionMethod,
  actionTaken: l.actionTaken,
  status: l.status,
  detectedAt: l.detectedAt,
  resolvedAt: l.resolvedAt,
  resolutionNote: l.resolutionNote,
  warningSent: l.warningSent,
  warningSentAt: l.warningSentAt,
  warningSentBy: emailOf(l.warningSentById),
  reportedBy: emailOf(l.reportedById),
  ticketId: l.ticketId,
};

export type IncidentRow = {
  id: string;
  userId: string;
  userEmail: string;
  incidentType: IncidentType;
  severity: Severity;
  description: string;
  metadata: Record<string, unknown>;
  detectionMethod: DetectionMethod;
  actionTaken: ActionTaken;
  status: IncidentStatus;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  warningSent: boolean;
  warningSentAt: Date | null;
  warningSentBy: string | null;
  reportedBy: string | null;
  ticketId: string | null;
};

export function toIncidentDto(r: IncidentRow): IncidentDto {
  return {
    id: r.id,
    userId: r.userId,
    userEmail: r.userEmail,
    incidentType: r.incidentType,
    severity: r.severity,
    description: r.description,
    metadata: r.metadata ?? {},
    detectionMethod: r.detectionMethod,
    actionTaken: r.actionTaken,
    status: r.status,
    detectedAt: r.detectedAt.toISOString(),
    resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
    resolutionNote: r.resolutionNote,
    warningSent: !!r.warningSent,
    warningSentAt: r.warningSentAt ? new Date(r.warningSentAt).toISOString() : null,
    warningSentBy: r.warningSentBy ?? null,
    reportedBy: r.reportedBy ?? null,
    ticketId: r.ticketId ?? null,
  };
}

/**
 * One incident by id, or 404. Takes the caller's connection so the
 * services' moves can answer with the row as their own transaction left it;
 * the caller has checked the admin.
 */
export async function loadIncident(db: DbOrTx, id: string): Promise<IncidentDto> {
  // An id that cannot exist (a NUL byte, a megabyte of text) is not found, before any query sees it.
  if (!isId(id)) throw notFound("Incident");
  const [row] = await db.select(incidentColumns).from(l).innerJoin(users, eq(users.id, l.userId)).where(eq(l.id, id)).limit(1);
  if (!row) throw notFound("Incident");
  return toIncidentDto(row as IncidentRow);
}
