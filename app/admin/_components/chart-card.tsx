import type { ReactNode } from "react";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";

/**
 * A dashboard panel: the chart first (two thirds on a wide screen), its
 * figures beside it (stacked under it on a phone). `figures` are MetricRows
 * (a definition list); `links` into the area go under them, outside the list.
 */
export function ChartCard({
  title,
  description,
  chart,
  figures,
  links,
  footer,
  testId,
}: {
  title: string;
  description?: ReactNode;
  chart: ReactNode;
  figures: ReactNode;
  links?: ReactNode;
  footer?: ReactNode;
  testId?: string;
}) {
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      <div className="grid gap-4 px-4 py-4 sm:px-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">{chart}</div>
        <div className="min-w-0 self-start">
          <dl>{figures}</dl>
          {links ? <div className="flex flex-wrap gap-x-4 gap-y-1 pt-3">{links}</div> : null}
        </div>
      </div>
      {footer}
    </Card>
  );
}

/** A line over time needs two points: until the second hourly snapshot, NoHistory stands in. */
export const MIN_HISTORY = 2;

/** In place of a chart when there is no history yet. */
export function NoHistory() {
  return (
    <div className="flex h-40 items-center justify-center rounded-md border border-dashed border-slate-300 px-4 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
      Not enough history yet: a snapshot is taken every hour, and the chart starts with the second.
    </div>
  );
}

/** "Servers →" style link into an area of the admin. */
export function AreaLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="text-sm font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
      {children} <span aria-hidden="true">→</span>
    </Link>
  );
}
