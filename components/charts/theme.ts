// Chart colours are CSS variables set on each chart's wrapper (.chart-theme),
// with a light and a dark value each, so bars, lines, axes and grid stay
// readable in both colour schemes (the system setting).

export type ChartColor = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Set on the wrapper of every chart (app/globals.css: the colours, and the text colour axes and ticks use as currentColor). */
export const CHART_THEME = "chart-theme";

export const chartColor = (c: ChartColor) => `var(--chart-${c})`;

/** The swatch of a colour for legends drawn in HTML (server components). */
export const SWATCH: Record<ChartColor, string> = {
  1: "bg-sky-600 dark:bg-sky-400",
  2: "bg-violet-600 dark:bg-violet-400",
  3: "bg-emerald-600 dark:bg-emerald-400",
  4: "bg-amber-600 dark:bg-amber-400",
  5: "bg-red-600 dark:bg-red-400",
  6: "bg-slate-400 dark:bg-slate-500",
  7: "bg-orange-600 dark:bg-orange-400",
};

export interface Series {
  /** The property of each data row holding this series' value. */
  key: string;
  name: string;
  color: ChartColor;
  /** Series with the same stack id are stacked (bars and areas). */
  stack?: string;
}

export type ChartRow = Record<string, string | number>;
