// Where things go in a chart, as pure numbers: the server draws the charts
// without knowing their width, so positions are fractions (0..1) of the plot,
// scaled by the SVG's viewBox and by percentages in CSS.

import type { ChartRow, Series } from "./theme";

/** The side of the square viewBox every cartesian chart is drawn in (stretched to the plot). */
export const VIEW = 1000;

const num = (row: ChartRow, key: string) => Number(row[key] ?? 0) || 0;

/** The largest value the chart draws: per row, stacked series add up. */
export function maxValue(data: ChartRow[], series: Series[]): number {
  let max = 0;
  for (const row of data) {
    const stacks = new Map<string, number>();
    for (const s of series) {
      const key = s.stack ?? s.key;
      stacks.set(key, (stacks.get(key) ?? 0) + num(row, s.key));
    }
    for (const v of stacks.values()) max = Math.max(max, v);
  }
  return max;
}

/** Each series' segment per row, [from, to] in values: stacked series start where the one below ends, the others at zero. */
export function segments(data: ChartRow[], series: Series[]): Array<Array<[number, number]>> {
  const tops = data.map(() => new Map<string, number>());
  return series.map((s) =>
    data.map((row, i) => {
      const v = Math.max(0, num(row, s.key));
      if (!s.stack) return [0, v];
      const from = tops[i]!.get(s.stack) ?? 0;
      tops[i]!.set(s.stack, from + v);
      return [from, from + v];
    }),
  );
}

/** Where row `i` of `n` sits along the category axis (0..1): the middle of its band for bars, evenly from edge to edge for lines. */
export function position(i: number, n: number, banded: boolean): number {
  if (banded) return (i + 0.5) / n;
  return n > 1 ? i / (n - 1) : 0.5;
}

/**
 * The rows whose label the category axis shows: `count` of them, evenly
 * spaced from the first row to the last (the period's start and end), or
 * every row when there are fewer.
 */
export function labelledRows(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  if (count <= 1) return [n - 1];
  return Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1)));
}

/** A value's height as a fraction of the axis (0 at the baseline, 1 at the top tick). */
export const scale = (value: number, top: number) => (top > 0 ? Math.min(1, Math.max(0, value / top)) : 0);

/** A number short enough for an SVG attribute. */
export const px = (v: number) => Math.round(v * 10) / 10;
