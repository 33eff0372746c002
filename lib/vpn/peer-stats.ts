/**
 * What a device's numbers mean to a person: online when WireGuard's last
 * handshake is recent (a live tunnel re-handshakes every 2 minutes), the
 * rotation state from its schedule, and its usage.
 */
export const ONLINE_WITHIN_MS = 3 * 60_000;

export type ActivityStatus = "online" | "idle" | "never_connected" | "revoked";
export type RotationStatus = "ok" | "due_soon" | "due" | "overdue";

export interface PeerStats {
  activity: ActivityStatus;
  online: boolean;
  rotation: { status: RotationStatus; daysUntil: number };
  usage: { bytesSent: number; bytesReceived: number; totalBytes: number };
  lastHandshakeAt: string | null;
  secondsSinceHandshake: number | null;
  health: "good" | "stale" | "unknown";
}

const DAY = 86_400_000;

export function peerStats(
  p: { status: string; lastHandshakeAt: Date | string | null; nextKeyRotationAt: Date | string; bytesSent: number; bytesReceived: number },
  now: Date = new Date(),
): PeerStats {
  const hs = p.lastHandshakeAt ? new Date(p.lastHandshakeAt) : null;
  const age = hs ? now.getTime() - hs.getTime() : null;
  const online = p.status === "active" && age !== null && age <= ONLINE_WITHIN_MS;
  const activity: ActivityStatus = p.status !== "active" ? "revoked" : online ? "online" : hs ? "idle" : "never_connected";
  const until = (new Date(p.nextKeyRotationAt).getTime() - now.getTime()) / DAY;
  const rotation: RotationStatus = until < -7 ? "overdue" : until <= 0 ? "due" : until <= 7 ? "due_soon" : "ok";
  return {
    activity,
    online,
    rotation: { status: rotation, daysUntil: Math.ceil(until) },
    usage: { bytesSent: p.bytesSent, bytesReceived: p.bytesReceived, totalBytes: p.bytesSent + p.bytesReceived },
    lastHandshakeAt: hs?.toISOString() ?? null,
    secondsSinceHandshake: age === null ? null : Math.max(0, Math.round(age / 1000)),
    health: age === null ? "unknown" : age <= ONLINE_WITHIN_MS ? "good" : "stale",
  };
}
