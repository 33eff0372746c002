/** Legend entries as text in the body colour: the series colours themselves are 3-4:1 on white, too faint for text (WCAG asks 4.5:1). Only the swatch carries the series colour. */
export function legendText(value: string) {
  return <span className="text-slate-700 dark:text-slate-300">{value}</span>;
}
