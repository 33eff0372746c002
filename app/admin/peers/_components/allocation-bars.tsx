import Link from "next/link";
import type { SystemPeerStats } from "@/lib/dal/peer-stats";
import { ProgressBar } from "@/components/charts/progress-bar";
import { formatCount, formatPercent } from "@/components/charts/format";

/**
 * Each server's address pool as the share in use, on one 0-100 % scale: a
 * /24 beside a /16 compares by how full each is, not by raw counts that
 * would draw the small pool as an invisible sliver.
 */
export function AllocationBars({ servers }: { servers: SystemPeerStats["servers"] }) {
  return (
    <ul data-testid="allocation-chart" className="space-y-4">
      {servers.map((s) => {
        const share = s.capacity > 0 ? s.addressesAllocated / s.capacity : 0;
        return (
          <li key={s.serverId} data-testid="allocation-row" data-server-name={s.name} data-percent={Math.round(share * 1000) / 10}>
            <div className="mb-1 flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
              <Link href={`/admin/servers/${encodeURIComponent(s.serverId)}`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                {s.name}
              </Link>
              <span className="tabular-nums text-slate-700 dark:text-slate-300">
                <strong className="font-semibold">{formatPercent(share)}</strong> · {formatCount(s.addressesAllocated)} of {formatCount(s.capacity)} addresses
              </span>
            </div>
            <ProgressBar value={s.addressesAllocated} max={s.capacity} label={`Address pool of ${s.name} in use`} />
          </li>
        );
      })}
    </ul>
  );
}
