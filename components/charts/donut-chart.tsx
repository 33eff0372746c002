import { ChartLegend } from "./legend";
import { CHART_THEME, chartColor, type ChartColor } from "./theme";

export interface DonutSlice {
  name: string;
  value: number;
  color: ChartColor;
}

// The ring in a 100-unit square: the radius of its middle, and its thickness.
const R = 35;
const WIDTH = 12;
const ROUND = 2 * Math.PI * R;
/** The gap between two slices, in units along the ring (about 2 degrees). */
const GAP = ROUND / 180;

/**
 * Shares of a whole (server health), with the total in the middle: one
 * dashed circle per slice, clockwise from the top, drawn on the server. The
 * legend (every slice, zeros included) is HTML under it. Hidden from
 * assistive technology: ./charts.tsx lists the numbers beside it.
 */
export default function DonutChart({ slices, centerLabel, height = 220 }: { slices: DonutSlice[]; centerLabel?: string; height?: number }) {
  const total = slices.reduce((s, x) => s + x.value, 0);
  const gap = slices.filter((s) => s.value > 0).length > 1 ? GAP : 0;
  const share = (v: number) => (total > 0 ? (v / total) * ROUND : 0);
  const arcs = slices.map((s, i) => ({
    ...s,
    start: slices.slice(0, i).reduce((sum, x) => sum + share(x.value), 0),
    length: Math.max(0, share(s.value) - gap),
  }));
  return (
    <div className={`${CHART_THEME} flex flex-col`} style={{ height }} aria-hidden="true" data-chart="donut">
      <div className="relative min-h-0 flex-1">
        <svg data-plot="" viewBox="0 0 100 100" className="absolute inset-0 size-full">
          <g transform="rotate(-90 50 50)" fill="none" strokeWidth={WIDTH}>
            {arcs.map((a) =>
              a.length > 0 ? (
                <circle key={a.name} data-series={a.name} cx={50} cy={50} r={R} stroke={chartColor(a.color)} strokeDasharray={`${a.length} ${ROUND}`} strokeDashoffset={-a.start}>
                  <title>{`${a.name}: ${a.value.toLocaleString("en")}`}</title>
                </circle>
              ) : null,
            )}
          </g>
        </svg>
        <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center">
          <span className="text-2xl font-semibold tabular-nums text-slate-900 dark:text-slate-100">{total.toLocaleString("en")}</span>
          {centerLabel ? <span className="text-xs">{centerLabel}</span> : null}
        </div>
      </div>
      <ChartLegend items={slices} />
    </div>
  );
}
