import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { RANGES, RANGE_KEYS, type RangeKey } from "./ranges";

/**
 * 24 h / 7 days / 30 days as links (`?range=`), so the page is rendered on
 * the server for the chosen range and the choice can be shared or reloaded.
 * Other search parameters in `params` are kept.
 */
export function RangeSelect({ basePath, current, params = {}, label = "Time range", testId = "range-select" }: { basePath: string; current: RangeKey; params?: Record<string, string | undefined>; label?: string; testId?: string }) {
  const href = (range: RangeKey) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== "range" && k !== "cursor") q.set(k, v);
    q.set("range", range);
    return `${basePath}?${q}`;
  };
  return (
    <nav aria-label={label} data-testid={testId}>
      <ul className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 dark:border-slate-700 dark:bg-slate-900">
        {RANGE_KEYS.map((key) => {
          const active = key === current;
          return (
            <li key={key}>
              <Link
                href={href(key)}
                aria-current={active ? "true" : undefined}
                data-range={key}
                scroll={false}
                className={cn(
                  "block whitespace-nowrap rounded px-3 py-1 text-sm font-medium",
                  active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                )}
              >
                {RANGES[key].label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
