import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { PERIODS, type Period } from "../period";

/** Plain links (`?days=`), so a period can be bookmarked and works without JavaScript. */
export function PeriodPicker({ days }: { days: Period }) {
  return (
    <nav aria-label="Period" data-testid="usage-period">
      <ul className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-sm dark:border-slate-700 dark:bg-slate-900">
        {PERIODS.map((p) => {
          const current = p === days;
          return (
            <li key={p}>
              <Link
                href={`/usage?days=${p}`}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "inline-flex min-h-9 items-center rounded px-3 font-medium whitespace-nowrap transition-colors",
                  current
                    ? "bg-sky-700 text-white dark:bg-sky-500 dark:text-slate-950"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                )}
              >
                {p} days
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
