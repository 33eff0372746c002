/**
 * The time ranges a chart page offers (`?range=` in its URL, rendered on the
 * server). Hourly points over a day, daily points over a week or a month.
 */
export const RANGES = {
  "24h": { label: "24 h", long: "the last 24 hours", hours: 24, bucket: "hour" },
  "7d": { label: "7 days", long: "the last 7 days", hours: 24 * 7, bucket: "day" },
  "30d": { label: "30 days", long: "the last 30 days", hours: 24 * 30, bucket: "day" },
} as const;

export type RangeKey = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];

/** The range a search parameter names, or `fallback` for anything else. */
export function parseRange(value: string | string[] | undefined, fallback: RangeKey): RangeKey {
  return typeof value === "string" && value in RANGES ? (value as RangeKey) : fallback;
}

/**
 * "24 hours", "3 days and 5 hours": how much history there is, for a chart
 * whose range asks for more than exists.
 */
export function describeSpan(hours: number): string {
  const h = Math.max(0, Math.round(hours));
  if (h < 48) return `${h} ${h === 1 ? "hour" : "hours"}`;
  const d = Math.floor(h / 24);
  const rest = h % 24;
  return rest ? `${d} days and ${rest} ${rest === 1 ? "hour" : "hours"}` : `${d} days`;
}
