import type { ServerHealth } from "@/lib/vpn/health";

/**
 * How a server is labelled in the admin pages. The API's status stays
 * healthy, degraded or offline; a server no agent has ever reached (no
 * heartbeat yet) is shown as waiting for its agent instead of offline: it is
 * new, not down.
 */
export type ServerState = ServerHealth | "waiting";

export function serverState(s: { status: ServerHealth; lastHeartbeatAt: string | null }): ServerState {
  return s.lastHeartbeatAt ? s.status : "waiting";
}

export const STATE_LABELS: Record<ServerState, string> = { healthy: "Healthy", degraded: "Degraded", offline: "Offline", waiting: "Waiting for its agent" };
export const STATE_TONES = { healthy: "success", degraded: "warning", offline: "danger", waiting: "info" } as const satisfies Record<ServerState, string>;

export const DEFAULT_PORT = 51820;
