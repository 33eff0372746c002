import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ActivityStatus, RotationStatus } from "@/lib/vpn/peer-stats";

const ACTIVITY: Record<ActivityStatus, { label: string; tone: BadgeTone }> = {
  online: { label: "Online", tone: "success" },
  idle: { label: "Idle", tone: "neutral" },
  never_connected: { label: "Never connected", tone: "info" },
  revoked: { label: "Revoked", tone: "danger" },
};

/** Online = a handshake within the last 3 minutes (see lib/vpn/peer-stats). */
export function ActivityBadge({ activity }: { activity: ActivityStatus }) {
  const { label, tone } = ACTIVITY[activity];
  return (
    <Badge tone={tone} className="gap-1.5">
      {activity === "online" ? <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" /> : null}
      <span data-testid="device-status">{label}</span>
    </Badge>
  );
}

const ROTATION: Partial<Record<RotationStatus, { label: string; tone: BadgeTone }>> = {
  due_soon: { label: "Rotation due soon", tone: "warning" },
  due: { label: "Rotation due", tone: "warning" },
  overdue: { label: "Rotation overdue", tone: "danger" },
};

export function RotationBadge({ status }: { status: RotationStatus }) {
  const r = ROTATION[status];
  return r ? <Badge tone={r.tone}>{r.label}</Badge> : null;
}

const SERVER_TONE: Record<string, BadgeTone> = { healthy: "success", degraded: "warning", offline: "danger" };

export function ServerStatusBadge({ status }: { status: string }) {
  return <Badge tone={SERVER_TONE[status] ?? "neutral"}>{status}</Badge>;
}
