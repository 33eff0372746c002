import { axisTitle, dayIn, formatAxis, formatDay, formatHour, formatHourUtc, formatValue, zoneOrUtc, type AxisKind, type ValueKind } from "./format";
import { escapeHtml } from "@/lib/format/html";
import type { ChartRow, Series } from "./theme";

/** Hourly rows beyond this are read out per day: a week of hours is 168 rows no one listens through (and as many nodes on the page). */
const HOURLY_ROWS = 48;

/** Whether the table has one row per point of the chart (what the pointer's values are read from: ./chart-hover.tsx). */
export const rowPerPoint = (xKind: AxisKind, rows: number) => !(xKind === "hour" && rows > HOURLY_ROWS);

interface Props {
  label: string;
  data: ChartRow[];
  xKey: string;
  xKind: AxisKind;
  series: Series[];
  valueKind: ValueKind;
  horizontal?: boolean;
  /** The reader's zone for hourly labels (UTC when not given); daily labels are UTC days whatever it is. */
  timeZone?: string;
}

/**
 * An hour's row label: the reader's local time, and the same instant in UTC
 * beside it when the zone is not UTC ("Dec 3, 15:00 (14:00 UTC)"; with the
 * date too when the UTC day differs). The pointer's tip shows it as it is.
 */
export function hourLabel(value: string, timeZone = "UTC"): string {
  const zone = zoneOrUtc(timeZone);
  const local = formatHour(value, zone);
  if (zone === "UTC" || local === value) return local;
  const utc = formatHourUtc(value);
  const sameDay = dayIn(value, zone) === dayIn(value, "UTC");
  return `${local} (${sameDay ? utc.slice(utc.indexOf(", ") + 2) : utc})`;
}

/** The caption: the chart's label, then what its time axis is read in. */
const captionOf = (label: string, xKind: AxisKind, timeZone?: string) => {
  const title = axisTitle(xKind, timeZone);
  return title ? `${label}. ${title}` : label;
};

/**
 * A chart's numbers as a table for screen readers (the drawing is hidden
 * from them), as markup text like the plot (./plot-markup.ts). A long
 * hourly series becomes one row per day (of the reader's zone) with the
 * lowest and highest hourly value of each series, and the caption says so;
 * the caption also names the zone of the hours, or that days are UTC days.
 */
export function seriesTableMarkup(props: Props): string {
  const { label, data, xKey, xKind, series, valueKind, horizontal, timeZone } = props;
  if (xKind === "hour" && data.length > HOURLY_ROWS) return dailyRange(props);
  // Series stacked into one bar or area: their total is a figure of its own.
  const stacked = series.length > 1 && series.every((s) => s.stack);
  const rows = data.map((row) => {
    const values = series.map((s) => Number(row[s.key] ?? 0) || 0);
    return {
      head: xKind === "hour" ? hourLabel(String(row[xKey]), timeZone) : formatAxis(xKind, String(row[xKey])),
      cells: [...values.map((v) => formatValue(valueKind, v)), ...(stacked ? [formatValue(valueKind, values.reduce((a, b) => a + b, 0))] : [])],
    };
  });
  return tableOf(captionOf(label, xKind, timeZone), horizontal ? "Name" : xKind === "day" ? "Day (UTC)" : "Time", stacked ? [...series.map((s) => s.name), "Total"] : series.map((s) => s.name), rows);
}

/** A long hourly series, one row per day of the reader's zone (the hours of their day, not of UTC's). */
function dailyRange({ label, data, xKey, series, valueKind, timeZone }: Props): string {
  const zone = zoneOrUtc(timeZone);
  const days = new Map<string, ChartRow[]>();
  for (const row of data) {
    const day = dayIn(String(row[xKey]), zone);
    days.set(day, [...(days.get(day) ?? []), row]);
  }
  const range = (rows: ChartRow[], key: string) => {
    const values = rows.map((r) => Number(r[key] ?? 0) || 0);
    return `${formatValue(valueKind, Math.min(...values))} to ${formatValue(valueKind, Math.max(...values))}`;
  };
  const rows = [...days].map(([day, list]) => ({
    head: `${formatDay(day)} (${list.length} ${list.length === 1 ? "hour" : "hours"})`,
    cells: series.map((s) => range(list, s.key)),
  }));
  return tableOf(`${label}: lowest to highest hourly value of each day (${zone})`, "Day", series.map((s) => s.name), rows);
}

/** One table of the screen-reader text: a column per series (and their total, when stacked), a row per label. */
function tableOf(caption: string, corner: string, columns: string[], rows: { head: string; cells: string[] }[]): string {
  const e = escapeHtml;
  const head = `<tr><th scope="col">${e(corner)}</th>${columns.map((name) => `<th scope="col">${e(name)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr><th scope="row">${e(row.head)}</th>${row.cells.map((cell) => `<td>${e(cell)}</td>`).join("")}</tr>`).join("");
  return `<table><caption>${e(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}
