import type { OutboxItem } from "@/lib/dal/outbox";

type Status = OutboxItem["status"];

export const OUTBOX_STATUSES: readonly Status[] = ["pending", "sending", "sent", "failed", "logged"];

export const isOutboxStatus = (v: unknown): v is Status => OUTBOX_STATUSES.includes(v as Status);

export const OUTBOX_TONES: Record<Status, "neutral" | "info" | "success" | "warning" | "danger"> = {
  pending: "info",
  sending: "info",
  sent: "success",
  failed: "danger",
  logged: "neutral",
};

export const OUTBOX_LABELS: Record<Status, string> = {
  pending: "Pending",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  // No RESEND_API_KEY: the outbox itself is the delivery.
  logged: "Logged (not sent)",
};
