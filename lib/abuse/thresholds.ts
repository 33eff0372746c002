import type { Env } from "@/lib/env";
import { INCIDENT_TYPES, isIncidentType, type IncidentType, type Severity } from "./types";

/**
 * Detector thresholds and rules — pure, no I/O. Units are decimal, as on a
 * bandwidth bill: 1 GB = 10^9 bytes and 1 MB = 10^6 bytes (not GiB/MiB), so
 * EXCESSIVE_BANDWIDTH_GB_PER_DAY=500 means 500 000 000 000 bytes.
 */
export const GB = 1_000_000_000;
export const MB = 1_000_000;

/** A figure at or above this multiple of its threshold makes the incident critical (and emails the admins). */
export const ESCALATION_FACTOR = 3;

/** Lists in the evidence (IPs, sessions, peers) keep at most this many entries; the counts stay exact. */
export const EVIDENCE_LIST_CAP = 20;

export const HOUR_MS = 3_600_000;

export interface AbuseThresholds {
  /** Bytes up + down per user in 24 h; exceeded when greater. */
  bandwidthBytesPerDay: number;
  /** Sessions started per user in 1 h; exceeded when greater ("50 connections/hour" is still allowed). */
  reconnectsPerHour: number;
  /** Sessions open at the same instant; exceeded when greater ("max 5"). */
  maxConcurrent: number;
  /** up/down or down/up over 24 h; exceeded when greater ("> 10:1"). */
  trafficRatio: number;
  /** The ratio is only judged at or above this volume (bytes up + down in 24 h), so idle peers are never flagged. */
  trafficMinBytes: number;
  /** Distinct client IPs per user in 1 h; reached when greater or equal ("3+ unique IPs"). */
  sharingIps: number;
}

type ThresholdEnv = Pick<
  Env,
  | "EXCESSIVE_BANDWIDTH_GB_PER_DAY"
  | "RAPID_RECONNECT_COUNT"
  | "MAX_CONCURRENT_CONNECTIONS"
  | "SUSPICIOUS_TRAFFIC_RATIO"
  | "SUSPICIOUS_TRAFFIC_MIN_MB"
  | "ACCOUNT_SHARING_THRESHOLD"
>;

export function thresholdsFromEnv(env: ThresholdEnv): AbuseThresholds {
  return {
    bandwidthBytesPerDay: Math.round(env.EXCESSIVE_BANDWIDTH_GB_PER_DAY * GB),
    reconnectsPerHour: env.RAPID_RECONNECT_COUNT,
    maxConcurrent: env.MAX_CONCURRENT_CONNECTIONS,
    trafficRatio: env.SUSPICIOUS_TRAFFIC_RATIO,
    trafficMinBytes: Math.round(env.SUSPICIOUS_TRAFFIC_MIN_MB * MB),
    sharingIps: env.ACCOUNT_SHARING_THRESHOLD,
  };
}

export type Comparison = ">" | ">=";

export interface DetectorRule {
  type: IncidentType;
  /** Severity below the escalation factor. */
  baseSeverity: Severity;
  windowHours: number;
  comparison: Comparison;
  /** The figure the threshold applies to, as named in the evidence. */
  measure: string;
  unit: "bytes" | "sessions" | "ratio" | "ips";
  threshold: (t: AbuseThresholds) => number;
}

export const RULES: Record<IncidentType, DetectorRule> = {
  excessive_bandwidth: {
    type: "excessive_bandwidth",
    baseSeverity: "high",
    windowHours: 24,
    comparison: ">",
    measure: "totalBytes",
    unit: "bytes",
    threshold: (t) => t.bandwidthBytesPerDay,
  },
  rapid_reconnects: {
    type: "rapid_reconnects",
    baseSeverity: "medium",
    windowHours: 1,
    comparison: ">",
    measure: "sessionsStarted",
    unit: "sessions",
    threshold: (t) => t.reconnectsPerHour,
  },
  concurrent_connections: {
    type: "concurrent_connections",
    baseSeverity: "high",
    windowHours: 1,
    comparison: ">",
    measure: "peakConcurrent",
    unit: "sessions",
    threshold: (t) => t.maxConcurrent,
  },
  suspicious_traffic_pattern: {
    type: "suspicious_traffic_pattern",
    baseSeverity: "medium",
    windowHours: 24,
    comparison: ">",
    measure: "ratio",
    unit: "ratio",
    threshold: (t) => t.trafficRatio,
  },
  account_sharing: {
    type: "account_sharing",
    baseSeverity: "high",
    windowHours: 1,
    comparison: ">=",
    measure: "distinctIps",
    unit: "ips",
    threshold: (t) => t.sharingIps,
  },
};

export const DETECTOR_ORDER: readonly IncidentType[] = INCIDENT_TYPES;

export function exceeds(rule: Pick<DetectorRule, "comparison">, figure: number, threshold: number): boolean {
  return rule.comparison === ">" ? figure > threshold : figure >= threshold;
}

/** The figure at which an incident of this rule becomes critical. */
export const criticalAt = (threshold: number): number => threshold * ESCALATION_FACTOR;

/**
 * None of the five detectors is critical by default: an incident escalates to
 * critical when its figure is at least ESCALATION_FACTOR times its threshold
 * (1.5 TB in a day, 150 sessions in an hour, 15 at once, a 30:1 ratio, 9 IPs).
 * An infinite ratio (traffic in one direction only) counts as above.
 */
export function severityFor(rule: Pick<DetectorRule, "baseSeverity">, figure: number, threshold: number): Severity {
  return figure >= criticalAt(threshold) ? "critical" : rule.baseSeverity;
}

/** ABUSE_AUTO_SUSPEND: comma-separated incident types that suspend the account automatically. Unknown names are reported, not applied. */
export function parseAutoSuspend(raw: string): { types: Set<IncidentType>; unknown: string[] } {
  const types = new Set<IncidentType>();
  const unknown: string[] = [];
  for (const part of raw.split(",")) {
    const name = part.trim().toLowerCase();
    if (!name) continue;
    if (isIncidentType(name)) types.add(name);
    else unknown.push(name);
  }
  return { types, unknown };
}
