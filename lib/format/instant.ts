/**
 * ISO text of a stored instant, or null for one JavaScript cannot hold (a
 * value past the year 275760 that some older push left behind): a read never
 * throws because of one stored value. Pure, so data access, services and
 * pages all use this one.
 */
export function isoOrNull(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  const t = (d instanceof Date ? d : new Date(d)).getTime();
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}
