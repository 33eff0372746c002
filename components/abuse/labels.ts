import type { BadgeTone } from "@/components/ui/badge";
import type { ActionTaken, IncidentStatus, IncidentType, Severity } from "@/lib/abuse/types";

export const TYPE_LABELS: Record<IncidentType, string> = {
  excessive_bandwidth: "Excessive bandwidth",
  rapid_reconnects: "Rapid reconnects",
  concurrent_connections: "Concurrent connections",
  suspicious_traffic_pattern: "Suspicious traffic pattern",
  account_sharing: "Account sharing",
};

export const SEVERITY_LABELS: Record<Severity, string> = { low: "Low", medium: "Medium", high: "High", critical: "Critical" };
export const SEVERITY_TONES: Record<Severity, BadgeTone> = { low: "neutral", medium: "warning", high: "danger", critical: "danger" };

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  pending: "Pending",
  investigating: "Investigating",
  resolved: "Resolved",
  false_positive: "False positive",
};
export const STATUS_TONES: Record<IncidentStatus, BadgeTone> = { pending: "warning", investigating: "info", resolved: "success", false_positive: "neutral" };

export const ACTION_LABELS: Record<ActionTaken, string> = {
  none: "None",
  warning_sent: "Warning sent",
  account_suspended: "Account suspended",
  account_banned: "Account banned",
};

export const DETECTION_LABELS: Record<string, string> = { automated: "Automated scan", manual: "Manual", user_report: "User report" };

export const HISTORY_LABELS: Record<string, string> = {
  "abuse.investigating": "Moved to investigating",
  "abuse.resolved": "Resolved",
  "abuse.false_positive": "Marked false positive",
  "abuse.user_suspended": "Suspended the user",
  "abuse.user_restored": "Restored the user",
  "abuse.auto_suspended": "Suspended the user automatically",
  "abuse.reported": "Opened",
  "abuse.warning_sent": "Sent a warning",
  "abuse.throttled": "Throttled the user's devices",
  "abuse.auto_throttled": "Throttled the user's devices automatically",
  "abuse.throttle_lifted": "Lifted the throttle",
  "abuse.throttle_expired": "The throttle ended",
};

/** Severity choices when opening an incident by hand. */
export const SEVERITY_CHOICES = Object.entries(SEVERITY_LABELS) as [Severity, string][];
export const TYPE_CHOICES = Object.entries(TYPE_LABELS) as [IncidentType, string][];
