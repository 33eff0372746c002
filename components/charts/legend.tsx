import { chartColor, type ChartColor } from "./theme";

/**
 * The series of a chart, in HTML under it. The names are in the body colour:
 * the series colours themselves are 3-4:1 on white, too faint for text (WCAG
 * asks 4.5:1); only the swatch carries the series colour.
 */
export function ChartLegend({ items }: { items: { name: string; color: ChartColor }[] }) {
  return (
    <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 pt-2 text-xs">
      {items.map((item) => (
        <li key={item.name} className="flex items-center gap-1.5">
          <span className="inline-block size-2.5 shrink-0 rounded-sm" style={{ background: chartColor(item.color) }} />
          <span data-legend-item="" className="text-slate-700 dark:text-slate-300">
            {item.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
