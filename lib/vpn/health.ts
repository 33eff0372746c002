/**
 * A server's health from its agent's last heartbeat (one push a minute):
 * healthy within 3 minutes, degraded within 10, offline after that or never.
 */
export type ServerHealth = "healthy" | "degraded" | "offline";

export const HEALTHY_WITHIN_MS = 3 * 60_000;
export const DEGRADED_WITHIN_MS = 10 * 60_000;

export function serverHealth(lastHeartbeatAt: Date | null, now: Date = new Date()): ServerHealth {
  if (!lastHeartbeatAt) return "offline";
  const age = now.getTime() - lastHeartbeatAt.getTime();
  if (age <= HEALTHY_WITHIN_MS) return "healthy";
  if (age <= DEGRADED_WITHIN_MS) return "degraded";
  return "offline";
}

/** Load as the share of the server's address pool in use by active peers, 0-100. */
export function serverLoad(activePeers: number, capacity: number): number {
  if (capacity <= 0) return 100;
  return Math.min(100, Math.round((activePeers / capacity) * 1000) / 10);
}
