import type { ServerHealth } from "@/lib/vpn/health";

export const HEALTH_LABELS: Record<ServerHealth, string> = { healthy: "Healthy", degraded: "Degraded", offline: "Offline" };
export const HEALTH_TONES = { healthy: "success", degraded: "warning", offline: "danger" } as const satisfies Record<ServerHealth, string>;

export const DEFAULT_PORT = 51820;
