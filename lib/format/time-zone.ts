/** The cookie that tells the server the reader's time zone, so that its render already shows local times. */
export const TIME_ZONE_COOKIE = "tz";

/** A zone name the platform knows, else UTC (a cookie is the client's word). */
export function validTimeZone(value: string | undefined): string {
  if (!value || value.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return value;
  } catch {
    return "UTC";
  }
}
