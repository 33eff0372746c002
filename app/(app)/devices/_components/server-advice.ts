import type { ServerDto } from "@/lib/dal/servers";

/**
 * Which server the add-device form suggests, and how it names each choice.
 * Pure (no React, no I/O) so the order and the words are unit-tested:
 * tests/vpn/server-advice.test.ts.
 */

/** What the advice reads of a server. */
export type ServerChoice = Pick<ServerDto, "id" | "name" | "region" | "status" | "load">;

const RANK: Record<ServerDto["status"], number> = { healthy: 0, degraded: 1, offline: 2 };

/** Why an offline server is not advised, in the option's label. */
export const OFFLINE_REASON = "not advised, devices cannot connect until it is back";

/**
 * Healthy servers first, then degraded ones, offline ones last; least loaded
 * first within each; equal load by name. The sort is stable, so servers equal
 * on all three keep the order they were given in: the default does not flip
 * between renders.
 */
export function advisedOrder<T extends ServerChoice>(servers: readonly T[]): T[] {
  return [...servers].sort((a, b) => RANK[a.status] - RANK[b.status] || a.load - b.load || a.name.localeCompare(b.name, "en"));
}

/** The preselected server: the first of the advised order (an offline one only when every server is offline), or null with none. */
export function defaultServer<T extends ServerChoice>(servers: readonly T[]): T | null {
  return advisedOrder(servers)[0] ?? null;
}

/** True when a device could connect through this server now. */
export const isAdvised = (s: ServerChoice) => s.status !== "offline";

/** True when there are servers and none of them can take a device now (the form says so). */
export const noneAdvised = (servers: readonly ServerChoice[]) => servers.length > 0 && !servers.some(isAdvised);

/** The option's text: "Paris 1 — eu-west (healthy, 12% load)", or an offline server with why it is not advised. */
export function serverLabel(s: ServerChoice): string {
  if (s.status === "offline") return `${s.name} — ${s.region} (offline: ${OFFLINE_REASON})`;
  return `${s.name} — ${s.region} (${s.status === "degraded" ? "slow to report" : "healthy"}, ${Math.round(s.load)}% load)`;
}
