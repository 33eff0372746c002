import type {
  ActionTaken as DbActionTaken,
  IncidentStatus as DbIncidentStatus,
  IncidentType as DbIncidentType,
  Severity as DbSeverity,
} from "@/db/schema/abuse";

/**
 * The incident vocabulary, free of database imports so client components can
 * use it. The type-only checks at the bottom fail the build if it drifts from
 * db/schema/abuse.ts (the check constraints there are the source of truth).
 */
export const INCIDENT_TYPES = [
  "excessive_bandwidth",
  "rapid_reconnects",
  "concurrent_connections",
  "suspicious_traffic_pattern",
  "account_sharing",
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ["pending", "investigating", "resolved", "false_positive"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** Statuses that keep an incident "open": the partial unique index allows one per user and type. */
export const OPEN_STATUSES = ["pending", "investigating"] as const satisfies readonly IncidentStatus[];

export const DETECTION_METHODS = ["automated", "manual", "user_report"] as const;
export type DetectionMethod = (typeof DETECTION_METHODS)[number];

export const ACTIONS_TAKEN = ["warning_sent", "account_suspended", "account_banned", "none"] as const;
export type ActionTaken = (typeof ACTIONS_TAKEN)[number];

export const isIncidentType = (v: string): v is IncidentType => (INCIDENT_TYPES as readonly string[]).includes(v);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: Same<IncidentType, DbIncidentType> = true;
const sameSeverities: Same<Severity, DbSeverity> = true;
const sameStatuses: Same<IncidentStatus, DbIncidentStatus> = true;
const sameActions: Same<ActionTaken, DbActionTaken> = true;
void [sameTypes, sameSeverities, sameStatuses, sameActions];
