import { formatAxis, formatDay, formatValue, type AxisKind, type ValueKind } from "./format";
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
}

/**
 * A chart's numbers as a table for screen readers (the drawing is hidden
 * from them), as markup text like the plot (./plot-markup.ts). A long
 * hourly series becomes one row per UTC day with the lowest and highest
 * hourly value of each series, and the caption says so.
 */
export function seriesTableMarkup(props: Props): string {
  const { label, data, xKey, xKind, series, valueKind, horizontal } = props;
  if (xKind === "hour" && data.length > HOURLY_ROWS) return dailyRange(props);
  // Series stacked into one bar or area: their total is a figure of its own.
  const stacked = series.length > 1 && series.every((s) => s.stack);
  const rows = data.map((row) => {
    const values = series.map((s) => Number(row[s.key] ?? 0) || 0);
    return {
      head: formatAxis(xKind, String(row[xKey])),
      cells: [...values.map((v) => formatValue(valueKind, v)), ...(stacked ? [formatValue(valueKind, values.reduce((a, b) => a + b, 0))] : [])],
    };
  });
  return tableOf(label, horizontal ? "Name" : "Time", stacked ? [...series.map((s) => s.name), "Total"] : series.map((s) => s.name), rows);
}

function dailyRange({ label, data, xKey, series, valueKind }: Props): string {
  const days = new Map<string, ChartRow[]>();
  for (const row of data) {
    const day = new Date(String(row[xKey])).toISOString().slice(0, 10);
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
  return tableOf(`${label}: lowest to highest hourly value of each UTC day`, "Day", series.map((s) => s.name), rows);
}

/** One table of the screen-reader text: a column per series (and their total, when stacked), a row per label. */
function tableOf(caption: string, corner: string, columns: string[], rows: { head: string; cells: string[] }[]): string {
  const e = escapeHtml;
  const head = `<tr><th scope="col">${e(corner)}</th>${columns.map((name) => `<th scope="col">${e(name)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr><th scope="row">${e(row.head)}</th>${row.cells.map((cell) => `<td>${e(cell)}</td>`).join("")}</tr>`).join("");
  return `<table><caption>${e(caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}
