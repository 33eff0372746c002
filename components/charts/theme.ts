// Chart colours are CSS variables set on each chart's wrapper, with a light
// and a dark value each, so bars, lines, axes and grid stay readable in both
// colour schemes (Tailwind's `dark:` follows the system setting).

export type ChartColor = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Set on the wrapper of every chart; the text colour is what axes and ticks use (currentColor). */
export const CHART_THEME =
  "text-slate-600 dark:text-slate-400 " +
  "[--chart-1:#0284c7] [--chart-2:#7c3aed] [--chart-3:#059669] [--chart-4:#d97706] [--chart-5:#dc2626] [--chart-6:#94a3b8] [--chart-7:#ea580c] [--chart-grid:#e2e8f0] " +
  "dark:[--chart-1:#38bdf8] dark:[--chart-2:#a78bfa] dark:[--chart-3:#34d399] dark:[--chart-4:#fbbf24] dark:[--chart-5:#f87171] dark:[--chart-6:#64748b] dark:[--chart-7:#fb923c] dark:[--chart-grid:#1e293b]";

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
