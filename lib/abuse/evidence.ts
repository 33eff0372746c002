import { formatBytes, formatWindow, plural, trimNumber } from "./format";
import { EVIDENCE_LIST_CAP, RULES, criticalAt, exceeds, severityFor, type AbuseThresholds } from "./thresholds";
import type { IncidentType, Severity } from "./types";

/** One user's figures as a detector query returns them (see lib/services/abuse/detectors.ts). */
export interface DetectorRow {
  userId: string;
  /** The window's start for this user: the detector's window, or later when an incident of this type was closed since. */
  windowStart: string;
  facts: Record<string, unknown>;
}

export interface IncidentDraft {
  userId: string;
  severity: Severity;
  description: string;
  metadata: Record<string, unknown>;
}

const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : 0);

/** up/down or down/up, whichever is larger; Infinity when one direction carried nothing. */
export function trafficRatio(bytesUp: number, bytesDown: number): { ratio: number; dominant: "upload" | "download" } {
  const dominant = bytesUp >= bytesDown ? "upload" : "download";
  const hi = Math.max(bytesUp, bytesDown);
  const lo = Math.min(bytesUp, bytesDown);
  return { ratio: lo === 0 ? (hi === 0 ? 0 : Infinity) : hi / lo, dominant };
}

function figureOf(type: IncidentType, facts: Record<string, unknown>): number {
  if (type === "suspicious_traffic_pattern") return trafficRatio(num(facts.bytesUp), num(facts.bytesDown)).ratio;
  return num(facts[RULES[type].measure]);
}

function describe(type: IncidentType, facts: Record<string, unknown>, t: AbuseThresholds, windowMs: number): string {
  const span = formatWindow(windowMs);
  switch (type) {
    case "excessive_bandwidth":
      return `${formatBytes(num(facts.totalBytes))} in ${span} (threshold ${formatBytes(t.bandwidthBytesPerDay)})`;
    case "rapid_reconnects":
      return `${plural(num(facts.sessionsStarted), "connection")} in ${span} (threshold ${t.reconnectsPerHour} connections/hour)`;
    case "concurrent_connections":
      return `${plural(num(facts.peakConcurrent), "simultaneous connection")} from ${plural(num(facts.clientIpCount), "client IP")} (limit ${t.maxConcurrent})`;
    case "suspicious_traffic_pattern": {
      const up = num(facts.bytesUp);
      const down = num(facts.bytesDown);
      const { ratio, dominant } = trafficRatio(up, down);
      const limit = `threshold ${trimNumber(t.trafficRatio)}:1`;
      if (!Number.isFinite(ratio)) {
        return `${dominant === "upload" ? "Upload" : "Download"} only: ${formatBytes(up)} up, ${formatBytes(down)} down in ${span} (${limit})`;
      }
      const label = dominant === "upload" ? "Upload/download" : "Download/upload";
      return `${label} ratio ${trimNumber(ratio)}:1 over ${formatBytes(up + down)} in ${span} (${limit})`;
    }
    case "account_sharing":
      return `${plural(num(facts.distinctIps), "distinct client IP")} in ${span} (threshold ${t.sharingIps})`;
  }
}

const capped = (v: unknown): unknown => (Array.isArray(v) ? v.slice(0, EVIDENCE_LIST_CAP) : v);

/**
 * Turns a detector's row into an incident: severity (with the critical
 * escalation), a human-readable description and the evidence an admin reads
 * to judge it — the figure, the threshold and how it is compared, the window,
 * and capped lists of the addresses, sessions and peers involved. Answers null
 * when the figures do not cross the threshold (the SQL and this rule agree;
 * this guard keeps it so).
 */
export function buildIncident(
  type: IncidentType,
  row: DetectorRow,
  ctx: { thresholds: AbuseThresholds; windowEnd: string },
): IncidentDraft | null {
  const rule = RULES[type];
  const threshold = rule.threshold(ctx.thresholds);
  const figure = figureOf(type, row.facts);
  if (!exceeds(rule, figure, threshold)) return null;
  if (type === "suspicious_traffic_pattern" && num(row.facts.totalBytes) < ctx.thresholds.trafficMinBytes) return null;

  const windowMs = Date.parse(ctx.windowEnd) - Date.parse(row.windowStart);
  const facts = Object.fromEntries(Object.entries(row.facts).map(([k, v]) => [k, capped(v)]));
  const extra: Record<string, unknown> = {};
  if (type === "suspicious_traffic_pattern") {
    const { dominant } = trafficRatio(num(row.facts.bytesUp), num(row.facts.bytesDown));
    // JSON has no Infinity: one-directional traffic is recorded as ratio null with oneDirectional true.
    Object.assign(extra, { ratio: Number.isFinite(figure) ? Math.round(figure * 100) / 100 : null, oneDirectional: !Number.isFinite(figure), dominant, minimumVolumeBytes: ctx.thresholds.trafficMinBytes });
  }
  return {
    userId: row.userId,
    severity: severityFor(rule, figure, threshold),
    description: describe(type, row.facts, ctx.thresholds, windowMs),
    metadata: {
      detector: type,
      measure: rule.measure,
      value: Number.isFinite(figure) ? figure : null,
      unit: rule.unit,
      comparison: rule.comparison,
      threshold,
      criticalAt: criticalAt(threshold),
      windowStart: row.windowStart,
      windowEnd: ctx.windowEnd,
      listCap: EVIDENCE_LIST_CAP,
      ...facts,
      ...extra,
    },
  };
}
