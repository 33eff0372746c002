"use client";

import type { PeerDto } from "@/lib/services/peer-dto";
import type { PackedPeerPage } from "./peer-pack";
import type { ServerDto } from "@/lib/dal/servers";
import { Card } from "@/components/ui/card";
import { DeviceItem } from "./device-item";
import { EmptyDevices } from "./empty-devices";
import { NoticeProvider } from "./notice";
import { ThrottleNotice } from "./throttle-notice";
import { ServersProvider } from "./servers-context";
import { usePeers } from "./peers-query";
import { buttonClasses } from "@/components/ui/button";

/**
 * The device list, a page of 50 at a time (usePeers: the query cache, seeded
 * by the server render, polled every 15 s while the tab is visible,
 * invalidated after each of this page's actions). More devices load on
 * demand, so a thousand devices never make one huge page.
 */
export function DeviceList({ initialPage, servers, renderedAt }: { initialPage: PackedPeerPage; servers: ServerDto[]; renderedAt: number }) {
  const { peers, activeCount, revokedCount, dataUpdatedAt, isError, hasNextPage, fetchNextPage, isFetchingNextPage } = usePeers(initialPage, renderedAt, true);

  const serversById = new Map(servers.map((s) => [s.id, s]));
  const active = peers.filter((p) => p.status === "active");
  const revoked = peers.filter((p) => p.status !== "active");
  // "Now" is when the data was fetched: the same value on the server and in
  // hydration, and it moves forward with every poll.
  const now = dataUpdatedAt || renderedAt;

  return (
    <ServersProvider servers={servers}>
      <NoticeProvider>
        <ThrottleNotice peers={peers} />
        {activeCount + revokedCount === 0 ? (
          <Card>
            <EmptyDevices />
          </Card>
        ) : (
          <div className="space-y-8">
            <section aria-labelledby="active-devices-heading">
              <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="active-devices-heading" className="text-base font-semibold">
                  Active devices <span className="font-normal text-slate-500 dark:text-slate-400">({activeCount})</span>
                </h2>
                <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="devices-live">
                  {isError ? "Live status paused: the last update failed, retrying." : "Status updates automatically every 15 seconds."}
                </p>
              </div>
              {activeCount === 0 ? (
                <Card className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">
                  No active devices. Add one with the button at the top of this page.
                </Card>
              ) : (
                <DeviceUl peers={active} serversById={serversById} now={now} />
              )}
            </section>
            {revoked.length > 0 ? (
              <section aria-labelledby="revoked-devices-heading">
                <h2 id="revoked-devices-heading" className="mb-1 text-base font-semibold text-slate-600 dark:text-slate-400">
                  Revoked devices <span className="font-normal">({revokedCount})</span>
                </h2>
                <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">Kept for your records; they can no longer connect. Delete them to remove them for good.</p>
                <DeviceUl peers={revoked} serversById={serversById} now={now} />
              </section>
            ) : null}
            {hasNextPage ? (
              <div className="flex flex-col items-center gap-1">
                <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="devices-shown">
                  Showing {peers.length} of {activeCount + revokedCount} devices
                </p>
                <button type="button" className={buttonClasses("secondary", "md")} onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} data-testid="devices-more">
                  {isFetchingNextPage ? "Loading…" : "Show more devices"}
                </button>
              </div>
            ) : null}
          </div>
        )}
      </NoticeProvider>
    </ServersProvider>
  );
}

function DeviceUl({ peers, serversById, now }: { peers: PeerDto[]; serversById: Map<string, ServerDto>; now: number }) {
  return (
    <ul className="space-y-3 lg:space-y-0 lg:divide-y lg:divide-slate-200 lg:overflow-hidden lg:rounded-lg lg:border lg:border-slate-200 lg:shadow-sm dark:lg:divide-slate-800 dark:lg:border-slate-800">
      {peers.map((p) => (
        <DeviceItem key={p.id} peer={p} server={serversById.get(p.serverId)} now={now} />
      ))}
    </ul>
  );
}
