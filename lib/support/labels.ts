import type { TicketCategory, TicketPriority, TicketStatus } from "@/db/schema/support";

/** Words and badge tones for ticket fields; safe in client components (types only from the schema). */
export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

export const STATUS_LABELS: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_user: "Waiting on customer",
  waiting_support: "Waiting on support",
  resolved: "Resolved",
  closed: "Closed",
};

/** The same statuses as the requester reads them. */
export const STATUS_LABELS_FOR_REQUESTER: Record<TicketStatus, string> = {
  ...STATUS_LABELS,
  waiting_user: "Waiting for your reply",
  waiting_support: "Waiting for support",
};

export const STATUS_TONES: Record<TicketStatus, Tone> = {
  open: "info",
  in_progress: "info",
  waiting_user: "warning",
  waiting_support: "info",
  resolved: "success",
  closed: "neutral",
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };
export const PRIORITY_TONES: Record<TicketPriority, Tone> = { low: "neutral", medium: "info", high: "warning", urgent: "danger" };

export const CATEGORY_LABELS: Record<TicketCategory, string> = {
  technical: "Technical",
  billing: "Billing",
  account: "Account",
  vpn_connection: "VPN connection",
  feature_request: "Feature request",
  bug_report: "Bug report",
  other: "Other",
};

export const entries = <K extends string>(r: Record<K, string>) => Object.entries(r) as Array<[K, string]>;
