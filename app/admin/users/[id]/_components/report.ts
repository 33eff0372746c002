import type { getUserReport } from "@/lib/dal/analytics";
import type { ConnectionRow } from "@/components/usage/recent-connections";

export type UserReport = Awaited<ReturnType<typeof getUserReport>>;

/** The report's rows are loosely typed (text, numbers, ISO dates): read them through these. */
export const text = (v: unknown): string | null => (typeof v === "string" ? v : v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : Number(v ?? 0) || 0);

/** The report's sessions in the shape of the shared connections table; an open one has no duration (the report does not read its last sign of life). */
export function connectionRows(rows: UserReport["recentConnections"]): ConnectionRow[] {
  return rows.map((r) => {
    const startedAt = text(r.startedAt) ?? "";
    const endedAt = text(r.endedAt);
    return {
      id: text(r.id) ?? "",
      deviceName: text(r.deviceName) ?? "—",
      serverName: text(r.serverName) ?? "—",
      clientIp: text(r.clientIp),
      startedAt,
      endedAt,
      seconds: endedAt && startedAt ? Math.max(0, (Date.parse(endedAt) - Date.parse(startedAt)) / 1000) : null,
      bytesUp: num(r.bytesUp),
      bytesDown: num(r.bytesDown),
    };
  });
}
