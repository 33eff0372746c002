"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ServerDto } from "@/lib/dal/servers";
import { Card } from "@/components/ui/card";
import { DeviceItem } from "./device-item";
import { EmptyDevices } from "./empty-devices";
import { NoticeProvider } from "./notice";
import { ThrottleNotice } from "./throttle-notice";
import { ServersProvider } from "./servers-context";
import { fetchPeers, PEERS_QUERY_KEY, POLL_INTERVAL_MS } from "./peers-query";

/**
 * The device list. Its data lives in one place, the query cache: seeded by
 * the server render, polled from the JSON API every 15 s while the tab is
 * visible (status, handshakes and bytes change without the user doing
 * anything), and invalidated after each of this page's actions. The page's
 * actions do not revalidate it. A newer server render (coming back to the
 * page) wins over an older cache.
 */
export function DeviceList({ initialPeers, servers, renderedAt }: { initialPeers: PeerDto[]; servers: ServerDto[]; renderedAt: number }) {
  const client = useQueryClient();
  const { data: peers, dataUpdatedAt, isError } = useQuery({
    queryKey: PEERS_QUERY_KEY,
    queryFn: fetchPeers,
    initialData: initialPeers,
    initialDataUpdatedAt: renderedAt,
    refetchInterval: POLL_INTERVAL_MS,
    staleTime: 5_000,
  });

  useEffect(() => {
    const state = client.getQueryState(PEERS_QUERY_KEY);
    if (!state || state.dataUpdatedAt < renderedAt) client.setQueryData(PEERS_QUERY_KEY, initialPeers, { updatedAt: renderedAt });
  }, [client, initialPeers, renderedAt]);

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
        {peers.length === 0 ? (
          <Card>
            <EmptyDevices />
          </Card>
        ) : (
          <div className="space-y-8">
            <section aria-labelledby="active-devices-heading">
              <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="active-devices-heading" className="text-base font-semibold">
                  Active devices <span className="font-normal text-slate-500 dark:text-slate-400">({active.length})</span>
                </h2>
                <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="devices-live">
                  {isError ? "Live status paused: the last update failed, retrying." : "Status updates automatically every 15 seconds."}
                </p>
              </div>
              {active.length === 0 ? (
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
                  Revoked devices <span className="font-normal">({revoked.length})</span>
                </h2>
                <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">Kept for your records; they can no longer connect. Delete them to remove them for good.</p>
                <DeviceUl peers={revoked} serversById={serversById} now={now} />
              </section>
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
