/**
 * A system_metrics snapshot as the dashboard reads it. The DAL returns the
 * row as camelCase numbers under loose typing; this names the fields the
 * dashboard uses and makes a missing one 0 (or null where "not known" differs
 * from zero).
 */
export interface Snapshot {
  timestamp: string;
  totalUsers: number;
  activeUsers24h: number;
  activeUsers7d: number;
  activeUsers30d: number;
  newUsersToday: number;
  totalConnections: number;
  activeConnections: number;
  avgSessionSeconds: number;
  totalServers: number;
  healthyServers: number;
  degradedServers: number;
  offlineServers: number;
  avgServerLoad: number;
  bandwidth24hBytes: number;
  avgThroughputBps: number;
  peakThroughputBps: number;
  totalSubscriptions: number;
  activeSubscriptions: number;
  mrrCents: number;
  churnRate: number;
  openTickets: number;
  ticketsResolved24h: number;
  avgResolutionSeconds: number | null;
  abuseIncidents24h: number;
  failedLogins24h: number;
}

const NUMBER_KEYS = [
  "totalUsers",
  "activeUsers24h",
  "activeUsers7d",
  "activeUsers30d",
  "newUsersToday",
  "totalConnections",
  "activeConnections",
  "avgSessionSeconds",
  "totalServers",
  "healthyServers",
  "degradedServers",
  "offlineServers",
  "avgServerLoad",
  "bandwidth24hBytes",
  "avgThroughputBps",
  "peakThroughputBps",
  "totalSubscriptions",
  "activeSubscriptions",
  "mrrCents",
  "churnRate",
  "openTickets",
  "ticketsResolved24h",
  "abuseIncidents24h",
  "failedLogins24h",
] as const satisfies readonly (keyof Snapshot)[];

const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : v === null || v === undefined ? 0 : Number(v) || 0);

export function toSnapshot(row: Record<string, unknown>): Snapshot {
  const out = { timestamp: String(row.timestamp ?? ""), avgResolutionSeconds: row.avgResolutionSeconds == null ? null : n(row.avgResolutionSeconds) } as Snapshot;
  for (const k of NUMBER_KEYS) out[k] = n(row[k]);
  return out;
}
