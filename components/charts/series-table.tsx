import { formatAxis, formatDay, formatValue, type AxisKind, type ValueKind } from "./format";
import type { ChartRow, Series } from "./theme";

/** Hourly rows beyond this are read out per day: a week of hours is 168 rows no one listens through (and as many nodes on the page). */
const HOURLY_ROWS = 48;

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
 * from them). A long hourly series becomes one row per UTC day with the
 * lowest and highest hourly value of each series, and the caption says so.
 */
export function SeriesTable(props: Props) {
  const { label, data, xKey, xKind, series, valueKind, horizontal } = props;
  if (xKind === "hour" && data.length > HOURLY_ROWS) return <DailyRange {...props} />;
  const rows = data.map((row, i) => ({
    key: `${String(row[xKey])}-${i}`,
    head: formatAxis(xKind, String(row[xKey])),
    cells: series.map((s) => formatValue(valueKind, Number(row[s.key] ?? 0))),
  }));
  return <TableOf caption={label} corner={horizontal ? "Name" : "Time"} series={series} rows={rows} />;
}

function DailyRange({ label, data, xKey, series, valueKind }: Props) {
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
    key: day,
    head: `${formatDay(day)} (${list.length} ${list.length === 1 ? "hour" : "hours"})`,
    cells: series.map((s) => range(list, s.key)),
  }));
  return <TableOf caption={`${label}: lowest to highest hourly value of each UTC day`} corner="Day" series={series} rows={rows} />;
}

/** One table of the screen-reader text: a column per series, a row per label. */
function TableOf({ caption, corner, series, rows }: { caption: string; corner: string; series: Props["series"]; rows: { key: string; head: string; cells: string[] }[] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{corner}</th>
          {series.map((s) => (
            <th key={s.key} scope="col">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.head}</th>
            {row.cells.map((cell, i) => (
              <td key={series[i]!.key}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
