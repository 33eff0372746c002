import type { getUserReport } from "@/lib/dal/analytics";

export type UserReport = Awaited<ReturnType<typeof getUserReport>>;

/** The report's rows are loosely typed (text, numbers, ISO dates): read them through these. */
export const text = (v: unknown): string | null => (typeof v === "string" ? v : v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : Number(v ?? 0) || 0);
