// Human formatting for analytics. Pure and locale-pinned ("en") so the
// server render and the browser produce the same text; times of day in the
// zone the caller names (the reader's: lib/format/reader-time-zone.ts),
// dates of the daily rollups as the UTC days they are.
//
// Data volumes: lib/format/bytes.ts, the one convention of every page, chart
// and email (decimal units, as data plans are sold).

import { formatBytes } from "@/lib/format/bytes";

export { formatBytes };

const RATE_UNITS = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];

/**
 * A transfer rate. The rollups store throughput in bytes per second (the
 * columns are named `…_bps`); people read link speeds in bits per second.
 */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "0 bit/s";
  let value = bytesPerSecond * 8;
  let unit = 0;
  while (value >= 1000 && unit < RATE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(1)).toLocaleString("en")} ${RATE_UNITS[unit]}`;
}

/** "0 min", "45 s", "12 min", "3 h 12 min", "250 h 3 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s === 0) return "0 min";
  if (s < 60) return `${s} s`;
  const totalMin = Math.round(s / 60);
  if (totalMin < 60) return `${totalMin} min`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return m ? `${h.toLocaleString("en")} h ${m} min` : `${h.toLocaleString("en")} h`;
}

/** Hours with one decimal, for chart axes: "0 h", "1.5 h". */
export function formatHours(seconds: number): string {
  return `${Number((seconds / 3600).toFixed(1)).toLocaleString("en")} h`;
}

/** Plans are priced in cents of one currency. */
export const CURRENCY = "USD";

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY });

/** "$1,234.50" from cents. */
export function formatMoney(cents: number | null | undefined): string {
  return money.format((Number.isFinite(cents) ? (cents as number) : 0) / 100);
}

/** A fraction (0..1) as a percent: "12.5 %"; null as "—". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction == null || !Number.isFinite(fraction)) return "—";
  return `${Number((fraction * 100).toFixed(digits)).toLocaleString("en")} %`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "0";
}

const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function hourFormatIn(timeZone: string): Intl.DateTimeFormat {
  let f = hourFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
    } catch {
      // Not a zone the platform knows: UTC, and the axis title says UTC (zoneOrUtc).
      return hourFormatIn("UTC");
    }
    hourFormats.set(timeZone, f);
  }
  return f;
}

/** `timeZone` if the platform knows it, else "UTC": what formatHour really uses, so captions name the zone the labels are in. */
export function zoneOrUtc(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/**
 * "Dec 3" from "2025-12-03" or an ISO timestamp. Always the UTC date: the
 * daily rollups count UTC days (a day's bucket is not a local day), so the
 * chart says "UTC days" (axisTitle) rather than shifting the label.
 */
export function formatDay(value: string): string {
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? value : dayFormat.format(d);
}

/** "Dec 3, 15:00" from an ISO timestamp, in `timeZone` (the reader's; UTC when not given). */
export function formatHour(value: string, timeZone = "UTC"): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : hourFormatIn(timeZone).format(d);
}

/** "Dec 3, 14:00 UTC": the same instant in UTC, for a title or beside a local time. */
export function formatHourUtc(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${hourFormatIn("UTC").format(d)} UTC`;
}

/** "2025-12-03": the calendar day an instant falls on in `timeZone` (for grouping hours into the reader's days). */
export function dayIn(value: string, timeZone = "UTC"): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value.slice(0, 10);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).formatToParts(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** What a chart's values are, so server pages can pick a formatter without passing functions to client components. */
export type ValueKind = "bytes" | "rate" | "duration" | "count" | "percent" | "money";

export function formatValue(kind: ValueKind, value: number): string {
  switch (kind) {
    case "bytes":
      return formatBytes(value);
    case "rate":
      return formatRate(value);
    case "duration":
      return formatDuration(value);
    case "percent":
      return formatPercent(value);
    case "money":
      return formatMoney(value);
    default:
      return formatCount(value);
  }
}

const wholeMoney = new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY, maximumFractionDigits: 0 });

/** Shorter text for axis ticks: durations in hours (minutes under one hour), whole currency units. */
export function formatTick(kind: ValueKind, value: number): string {
  if (value === 0) return "0";
  if (kind === "duration") return value >= 3600 ? formatHours(value) : `${Math.round(value / 60)} min`;
  if (kind === "money" && value % 100 === 0) return wholeMoney.format(value / 100);
  return formatValue(kind, value);
}

export type AxisKind = "day" | "hour" | "category";

/** A label of a chart's category axis; hours in `timeZone` (the reader's), days as UTC dates. */
export function formatAxis(kind: AxisKind, value: string, timeZone = "UTC"): string {
  return kind === "day" ? formatDay(value) : kind === "hour" ? formatHour(value, timeZone) : value;
}

/**
 * What a time axis is read in, said once per chart (under it, and in its
 * table's caption): "Times in Europe/Paris" for hours, "Dates are UTC days"
 * for the daily rollups; nothing for categories.
 */
export function axisTitle(kind: AxisKind, timeZone = "UTC"): string | null {
  if (kind === "day") return "Dates are UTC days";
  if (kind === "hour") return `Times in ${zoneOrUtc(timeZone)}`;
  return null;
}

/**
 * The last `days` UTC dates ending at `today` ("YYYY-MM-DD"), with each
 * day's row from `rows` or `empty(date)`: charts get a continuous axis, with
 * zero on days without traffic.
 */
export function fillDays<T extends { date: string }>(rows: T[], days: number, today: string, empty: (date: string) => T): T[] {
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const end = Date.parse(`${today}T00:00:00Z`);
  const out: T[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    out.push(byDate.get(date) ?? empty(date));
  }
  return out;
}

/** The size of one display unit of a value kind near `max`: ticks fall on round numbers of that unit ("1 GB", "2 h", "$50"). */
function unitFor(kind: ValueKind, max: number): number {
  switch (kind) {
    case "bytes":
      return 1000 ** Math.max(0, Math.floor(Math.log10(Math.max(max, 1)) / 3));
    case "rate": // shown in bits per second
      return 1000 ** Math.max(0, Math.floor(Math.log10(Math.max(max * 8, 1)) / 3)) / 8;
    case "duration":
      return max >= 3600 ? 3600 : 60;
    case "money":
      return 100;
    case "percent":
      return 0.01;
    default:
      return 1;
  }
}

/**
 * Axis ticks from 0 to at least `max`, about `count` of them, on round values
 * in the unit people read (0, 1 GB, 2 GB … rather than 0, 950 MB, 1.9 GB).
 */
export function niceTicks(kind: ValueKind, max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, unitFor(kind, 0)];
  const unit = unitFor(kind, max);
  const raw = max / unit / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow) * unit;
  const integral = kind === "count" ? Math.max(1, Math.ceil(step)) : step;
  const ticks: number[] = [];
  for (let v = 0; ticks.length < 50; v += integral) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= max) break;
  }
  return ticks;
}
