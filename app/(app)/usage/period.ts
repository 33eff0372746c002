/** The periods the usage page offers, in days; anything else in `?days=` falls back to the default. */
export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = 30;

export function parsePeriod(value: string | string[] | undefined): Period {
  const n = typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  return PERIODS.find((p) => p === n) ?? DEFAULT_PERIOD;
}
