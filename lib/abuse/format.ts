/** Number formatting for incident descriptions and the admin pages (decimal units, as in thresholds.ts). */

/** Up to one decimal, without a trailing ".0": 412 → "412", 412.34 → "412.3". */
export function trimNumber(n: number, decimals = 1): string {
  const f = 10 ** decimals;
  const v = Math.round(n * f) / f;
  return Number.isInteger(v) ? String(v) : v.toFixed(decimals).replace(/0+$/, "");
}

import { formatBytes } from "@/lib/format/bytes";

export { formatBytes };

/** A window length for descriptions: "24 h", "5.3 h", or under an hour "40 min". */
export function formatWindow(ms: number): string {
  if (ms >= 3_600_000) return `${trimNumber(ms / 3_600_000)} h`;
  return `${Math.max(1, Math.round(ms / 60_000))} min`;
}

/** 86_400 s → "1 d 0 h"; 3_725 s → "1 h 2 min"; 42 s → "42 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
