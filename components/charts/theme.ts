// Chart colours are CSS variables set on each chart's wrapper (.chart-theme),
// with a light and a dark value each, so bars, lines, axes and grid stay
// readable in both colour schemes (the system setting).

export type ChartColor = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Set on the wrapper of every chart (app/globals.css: the colours, and the text colour axes and ticks use as currentColor). */
export const CHART_THEME = "chart-theme";

export const chartColor = (c: ChartColor) => `var(--chart-${c})`;

export interface Series {
  /** The property of each data row holding this series' value. */
  key: string;
  name: string;
  color: ChartColor;
  /** Series with the same stack id are stacked (bars and areas). */
  stack?: string;
}

export type ChartRow = Record<string, string | number>;
