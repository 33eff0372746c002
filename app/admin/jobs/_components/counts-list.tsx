import { labelledCounts } from "@/lib/jobs/labels";

/**
 * A run's counters in words ("Suspicious traffic patterns found: 0"). No server imports: the live panel after
 * "Run now" renders it in the browser too.
 */
export function CountsList({ job, counts, testId }: { job: string; counts: Record<string, number> | null | undefined; testId?: string }) {
  const items = labelledCounts(job, counts);
  if (!items.length) return <span className="text-slate-600 dark:text-slate-400">—</span>;
  return (
    <ul data-testid={testId} className="min-w-44 max-w-64 space-y-0.5 whitespace-normal text-xs">
      {items.map((c) => (
        <li key={c.key} data-counter={c.key} className={c.value ? "text-slate-900 dark:text-slate-100" : "text-slate-600 dark:text-slate-400"}>
          {c.label}: <span className="font-semibold tabular-nums">{c.value.toLocaleString("en")}</span>
        </li>
      ))}
    </ul>
  );
}
