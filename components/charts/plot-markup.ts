// The inside of a cartesian chart's <svg> as markup text: grid, and bars or
// lines (the values under the pointer come from the chart's table:
// ./chart-hover.tsx). Drawn as one string rather than as React
// elements: a dashboard's charts are thousands of shapes, and as elements
// each one costs the server a node to render to HTML and another to send in
// the page's React payload (docs/decisions/022). Every text from the data
// (row labels, series names) is escaped here.

import { escapeHtml as escapeMarkup } from "@/lib/format/html";
import { position, px, scale, segments, VIEW } from "./geometry";
import { chartColor, type ChartRow, type Series } from "./theme";


// Strokes keep their width while the plot stretches to its box: `vector-effect`
// is set once for every line and path of a plot (.chart-theme in app/globals.css).

export interface PlotOptions {
  type: "bar" | "line" | "area";
  data: ChartRow[];
  series: Series[];
  ticks: number[];
  horizontal: boolean;
}

export function plotMarkup(o: PlotOptions): string {
  const top = o.ticks[o.ticks.length - 1]!;
  const parts = [grid(o.ticks, top, o.horizontal)];
  parts.push(o.type === "bar" ? bars(o.data, o.series, top, o.horizontal) : lines(o.data, o.series, top, o.type === "area"));
  return parts.join("");
}

/** Grid lines at the value ticks, and the two axis lines in the text colour. */
function grid(ticks: number[], top: number, horizontal: boolean): string {
  const out = ['<g stroke-width="1">'];
  for (const t of ticks) {
    const v = px(scale(t, top) * VIEW);
    const stroke = t === 0 ? "currentColor" : "var(--chart-grid)";
    out.push(
      horizontal
        ? `<line x1="${v}" x2="${v}" y1="0" y2="${VIEW}" stroke="${stroke}"></line>`
        : `<line x1="0" x2="${VIEW}" y1="${px(VIEW - v)}" y2="${px(VIEW - v)}" stroke="${stroke}"></line>`,
    );
  }
  out.push(
    horizontal
      ? `<line x1="0" x2="${VIEW}" y1="${VIEW}" y2="${VIEW}" stroke="currentColor"></line>`
      : `<line x1="0" x2="0" y1="0" y2="${VIEW}" stroke="currentColor"></line>`,
  );
  out.push("</g>");
  return out.join("");
}

/** Bars from zero, one path per series; stacked series one on another, the others side by side. */
function bars(data: ChartRow[], series: Series[], top: number, horizontal: boolean): string {
  const segs = segments(data, series);
  const groups = [...new Set(series.map((s) => s.stack ?? s.key))];
  const band = VIEW / data.length;
  const gap = horizontal ? 0.25 : 0.15;
  const thick = (band * (1 - gap)) / groups.length;
  return series
    .map((s, si) => {
      const g = groups.indexOf(s.stack ?? s.key);
      let d = "";
      segs[si]!.forEach(([from, to], i) => {
        if (to <= from) return;
        const across = px(i * band + (band * gap) / 2 + g * thick);
        const a = scale(from, top) * VIEW;
        const b = scale(to, top) * VIEW;
        const length = px(b - a);
        d += horizontal ? `M${px(a)} ${across}h${length}v${px(thick)}h${-length}Z` : `M${across} ${px(VIEW - b)}h${px(thick)}v${length}h${-px(thick)}Z`;
      });
      return `<g data-series="${escapeMarkup(s.key)}" fill="${chartColor(s.color)}">${d ? `<path d="${d}"></path>` : ""}</g>`;
    })
    .join("");
}

/** Straight lines between the points (dots on them up to a month of days); areas filled down to the series below, or to zero. */
function lines(data: ChartRow[], series: Series[], top: number, area: boolean): string {
  const segs = segments(data, series);
  const n = data.length;
  const x = (i: number) => px(position(i, n, false) * VIEW);
  const y = (v: number) => px(VIEW - scale(v, top) * VIEW);
  return series
    .map((s, si) => {
      const seg = segs[si]!;
      const line = seg.map(([, to], i) => `${i ? "L" : "M"}${x(i)} ${y(to)}`).join("");
      const base = seg
        .map(([from], i) => `L${x(i)} ${y(from)}`)
        .reverse()
        .join("");
      const color = chartColor(s.color);
      let out = `<g data-series="${escapeMarkup(s.key)}">`;
      if (area) out += `<path d="${line}${base}Z" fill="${color}" fill-opacity="0.25"></path>`;
      out += `<path d="${line}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"></path>`;
      // Zero-length segments with round caps: dots that stay round while the plot stretches.
      if (!area && n <= 31) out += `<path d="${seg.map(([, to], i) => `M${x(i)} ${y(to)}h0`).join("")}" stroke="${color}" stroke-width="5" stroke-linecap="round"></path>`;
      return `${out}</g>`;
    })
    .join("");
}
