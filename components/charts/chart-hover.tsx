"use client";

import { useState, type PointerEvent, type ReactNode } from "react";
import { position } from "./geometry";

interface Tip {
  i: number;
  /** The row's label, then "series: value" per column of the chart's table. */
  lines: string[];
}

/**
 * The values under the pointer, over a chart drawn on the server. They are
 * read from the chart's own screen-reader table (./charts.tsx, one row per
 * point, in order), so the page carries each number once instead of again
 * as per-point tooltip markup. Pointer only, touch included: the chart is
 * hidden from assistive technology, which reads the table itself.
 */
export function ChartHover({ n, banded, horizontal, children }: { n: number; banded: boolean; horizontal: boolean; children: ReactNode }) {
  const [tip, setTip] = useState<Tip | null>(null);

  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const along = horizontal ? (e.clientY - box.top) / box.height : (e.clientX - box.left) / box.width;
    const i = Math.min(n - 1, Math.max(0, banded || horizontal ? Math.floor(along * n) : Math.round(along * (n - 1))));
    if (tip?.i === i) return;
    const table = e.currentTarget.closest("[data-chart-figure]")?.querySelector("table");
    const rows = table?.querySelectorAll("tbody > tr");
    if (!table || !rows || rows.length !== n) return setTip(null);
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
    const cells = [...rows[i]!.children].map((c) => c.textContent ?? "");
    setTip({ i, lines: [cells[0] ?? "", ...cells.slice(1).map((c, k) => `${heads[k + 1]}: ${c}`)] });
  };

  const at = tip ? position(tip.i, n, banded || horizontal) : 0;
  const band = 100 / n;
  return (
    <div className="absolute inset-0" onPointerMove={onMove} onPointerLeave={() => setTip(null)} data-chart-hover="">
      {children}
      {tip ? (
        <>
          <div
            className={banded || horizontal ? "pointer-events-none absolute bg-slate-500/10" : "pointer-events-none absolute w-px bg-slate-400 dark:bg-slate-500"}
            style={
              horizontal
                ? { left: 0, right: 0, top: `${tip.i * band}%`, height: `${band}%` }
                : banded
                  ? { top: 0, bottom: 0, left: `${tip.i * band}%`, width: `${band}%` }
                  : { top: 0, bottom: 0, left: `${at * 100}%` }
            }
          />
          <div
            role="presentation"
            data-chart-tip=""
            className="pointer-events-none absolute z-10 max-w-56 rounded-md border border-slate-200 bg-white px-2 py-1 text-xs whitespace-nowrap text-slate-900 shadow-md dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
            style={
              horizontal
                ? { top: `${at * 100}%`, right: 0, transform: "translateY(-50%)" }
                : at <= 0.5
                  ? { top: 0, left: `calc(${at * 100}% + 8px)` }
                  : { top: 0, right: `calc(${(1 - at) * 100}% + 8px)` }
            }
          >
            <p className="font-medium">{tip.lines[0]}</p>
            {tip.lines.slice(1).map((line, k) => (
              <p key={k} className="tabular-nums">
                {line}
              </p>
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
