"use client";

import { useTimeZone } from "./time-zone";

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short" });
    } catch {
      // A zone this runtime does not know: UTC, which the text then names.
      return formatIn("UTC");
    }
    formats.set(zone, f);
  }
  return f;
}
const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "3 Dec 2026, 15:00 CET": the reader's local time, naming its zone. */
export const localDateTime = (d: Date, zone: string) => formatIn(zone).format(d);

/** "3 Dec 2026, 14:00 UTC": the same instant in UTC, the title of every local time. */
export const utcDateTime = (d: Date) => `${utc.format(d)} UTC`;

/** A timestamp in the reader's local time (as the page's time zone says), with the instant in UTC in its title. */
export function DateTime({ value, fallback = "—" }: { value: string | Date | null | undefined; fallback?: string }) {
  const zone = useTimeZone();
  if (!value) return <span className="text-slate-500 dark:text-slate-400">{fallback}</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return <span>{fallback}</span>;
  return (
    <time dateTime={d.toISOString()} title={utcDateTime(d)} className="whitespace-nowrap">
      {localDateTime(d, zone)}
    </time>
  );
}
