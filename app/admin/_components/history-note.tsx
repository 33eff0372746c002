import { DateTime } from "@/components/ui/date-time";
import { describeSpan, RANGES, type RangeKey } from "@/components/charts/ranges";

/**
 * What the charts cover: the range asked for, or, when the snapshots began
 * later than that, how much history there is and since when (a "7 days"
 * chart over one day of data says so).
 */
export function HistoryNote({ range, first, last }: { range: RangeKey; first: string | null; last: string | null }) {
  const wanted = RANGES[range];
  if (!first || !last) {
    return (
      <p data-testid="dashboard-history" data-coverage="none" className="text-sm text-slate-700 dark:text-slate-300">
        No hourly snapshot in {wanted.long} yet: the charts fill in as the metrics job runs.
      </p>
    );
  }
  const hours = (Date.parse(last) - Date.parse(first)) / 3_600_000 + 1;
  const partial = hours < wanted.hours - 1;
  return (
    <p data-testid="dashboard-history" data-coverage={partial ? "partial" : "full"} className="text-sm text-slate-700 dark:text-slate-300">
      {partial ? (
        <>
          Only <strong className="font-semibold">{describeSpan(hours)}</strong> of history so far (the first snapshot was taken <DateTime value={first} />
          ): the charts show those, not the full {wanted.label}.
        </>
      ) : (
        <>Hourly snapshots over {wanted.long}.</>
      )}
    </p>
  );
}
