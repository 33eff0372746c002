/**
 * "just now", "2 min ago", "in 3 days". Every caller passes `now` (the page's
 * render time) so the text never depends on when or where it is rendered.
 */
export function relativeTime(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "—";
  const diffS = Math.round((at - now) / 1000);
  const s = Math.abs(diffS);
  if (s < 45) return "just now";
  const text =
    s < 90 * 60
      ? `${Math.max(1, Math.round(s / 60))} min`
      : s < 36 * 3600
        ? `${Math.round(s / 3600)} h`
        : (() => {
            const d = Math.round(s / 86_400);
            return `${d} ${d === 1 ? "day" : "days"}`;
          })();
  return diffS < 0 ? `${text} ago` : `in ${text}`;
}

/** A relative time with the exact instant (UTC) as its machine value and tooltip. */
export function RelativeTime({ value, now, fallback = "Never" }: { value: string | null; now: number; fallback?: string }) {
  if (!value) return <span className="text-slate-500 dark:text-slate-400">{fallback}</span>;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return <span>{fallback}</span>;
  const iso = d.toISOString();
  return (
    <time dateTime={iso} title={iso.replace("T", " ").slice(0, 16) + " UTC"} className="whitespace-nowrap">
      {relativeTime(iso, now)}
    </time>
  );
}
