// Formatting for the device list. Every function takes `now` explicitly so the
// server render and the client's hydration produce the same text.

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "always" });

const STEPS: Array<[limit: number, unit: Intl.RelativeTimeFormatUnit, seconds: number]> = [
  [60, "second", 1],
  [3_600, "minute", 60],
  [86_400, "hour", 3_600],
  [30 * 86_400, "day", 86_400],
  [365 * 86_400, "month", 30 * 86_400],
  [Infinity, "year", 365 * 86_400],
];

/** "just now", "2 minutes ago", "3 days ago"; a timestamp slightly in the future (clock skew) counts as now. */
export function timeAgo(iso: string | null, now: number): string | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const s = Math.round((now - at) / 1000);
  if (s < 10) return "just now";
  for (const [limit, unit, size] of STEPS) {
    if (s < limit) return rtf.format(-Math.floor(s / size), unit);
  }
  return null;
}

import { formatBytes } from "@/lib/format/bytes";

export { formatBytes };

/** "key less than a day old", "key 1 day old", "key 12 days old". */
export function keyAge(days: number): string {
  if (days < 1) return "key less than a day old";
  return `key ${days} ${days === 1 ? "day" : "days"} old`;
}
