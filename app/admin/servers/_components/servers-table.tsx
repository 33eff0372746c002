import type { ReactNode } from "react";
import Link from "next/link";
import type { AdminServerDto } from "@/lib/dal/servers";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { RelativeTime } from "@/components/ui/relative-time";
import { UsageBar } from "./usage-bar";
import { Endpoint } from "./endpoint";
import { ServerActionsMenu } from "./server-actions-menu";
import { ConnectAgent } from "./connect-agent";
import { poolInterfaceAddresses } from "./agent-install";
import { STATE_LABELS, STATE_TONES, serverState } from "./labels";

// One markup for both layouts: a table from `lg` up, a stack of cards below it
// (each row a card, each cell labelled), so every row and its dialogs exist once.
const th =
  "border-b border-slate-200 bg-slate-50 px-3 py-2 first:pl-6 last:pr-6 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400";
const td = "lg:border-b lg:border-slate-100 lg:px-3 lg:py-3 lg:align-top lg:first:pl-6 lg:last:pr-6 lg:dark:border-slate-800 max-lg:block";

function Cell({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <td className={cn(td, className)}>
      <span className="mb-0.5 block text-xs font-medium text-slate-600 lg:hidden dark:text-slate-400">{label}</span>
      {children}
    </td>
  );
}

export const serverHref = (id: string) => `/admin/servers/${encodeURIComponent(id)}`;

/**
 * The servers, each with its actions in one menu. A server no agent has
 * reached yet says so ("Waiting for its agent", with the way to connect one)
 * instead of a red Offline: it is new, not down.
 */
export function ServersTable({ servers, now, appUrl }: { servers: AdminServerDto[]; now: number; appUrl: string }) {
  return (
    <div role="region" aria-label="Servers" tabIndex={0} className="relative w-full lg:overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm max-lg:block">
        <caption className="sr-only">Servers</caption>
        <thead className="max-lg:hidden">
          <tr>
            <th scope="col" className={th}>Server</th>
            <th scope="col" className={th}>Health</th>
            <th scope="col" className={th}>Load</th>
            <th scope="col" className={th}>Active peers</th>
            <th scope="col" className={th}>Address pool</th>
            <th scope="col" className={th}>Agent token</th>
            <th scope="col" className={th}>Config pull</th>
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="max-lg:grid max-lg:gap-3 max-lg:p-3 sm:max-lg:grid-cols-2">
          {servers.map((s) => {
            const state = serverState(s);
            const waiting = state === "waiting";
            return (
              <tr
                key={s.id}
                data-testid="server-row"
                data-server-name={s.name}
                data-status={s.status}
                data-state={state}
                className="max-lg:grid max-lg:min-w-0 max-lg:grid-cols-2 max-lg:gap-x-4 max-lg:gap-y-3 max-lg:rounded-lg max-lg:border max-lg:border-slate-200 max-lg:p-4 max-lg:dark:border-slate-800"
              >
                <td className={cn(td, "max-lg:col-span-2 max-lg:min-w-0 lg:max-w-64")}>
                  <Link href={serverHref(s.id)} className="font-medium text-sky-700 underline underline-offset-2 max-lg:text-base dark:text-sky-400">
                    {s.name}
                  </Link>
                  <div className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
                    <span className="sr-only">Region: </span>
                    {s.region}
                  </div>
                  <div className="mt-0.5 flex min-w-0 text-xs text-slate-600 dark:text-slate-400">
                    <span className="sr-only">Endpoint: </span>
                    <Endpoint host={s.endpointHost} port={s.endpointPort} />
                  </div>
                </td>
                <Cell label="Health" className="max-lg:col-span-2">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1 lg:flex-col lg:items-start">
                    <Badge tone={STATE_TONES[state]}>{STATE_LABELS[state]}</Badge>
                    {waiting ? (
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        No agent has reported yet.{" "}
                        <Link href={`${serverHref(s.id)}#agent`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400" data-testid="connect-agent-link">
                          How to connect it
                        </Link>
                      </span>
                    ) : (
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        last heartbeat <RelativeTime value={s.lastHeartbeatAt} now={now} />
                      </span>
                    )}
                  </div>
                </Cell>
                <Cell label="Load">
                  <span className="tabular-nums" title="Active peers against the pool's capacity">
                    {s.load}%
                  </span>
                </Cell>
                <Cell label="Active peers">
                  <span className="tabular-nums">{s.activePeers.toLocaleString("en")}</span>
                </Cell>
                <Cell label="Address pool" className="max-lg:col-span-2">
                  <UsageBar used={s.addressesUsed} capacity={s.capacity} label="addresses" />
                </Cell>
                <Cell label="Agent token">
                  {s.agentTokenPrefix ? (
                    <code className="whitespace-nowrap font-mono text-xs" title="Only the start of the token is kept in clear">
                      {s.agentTokenPrefix}…
                    </code>
                  ) : (
                    <span className="text-slate-600 dark:text-slate-400">—</span>
                  )}
                </Cell>
                <Cell label="Config pull">
                  <RelativeTime value={s.lastConfigPullAt} now={now} />
                </Cell>
                <td className={cn(td, "max-lg:col-span-2")}>
                  <ServerActionsMenu
                    server={{
                      id: s.id,
                      name: s.name,
                      region: s.region,
                      endpointHost: s.endpointHost,
                      endpointPort: s.endpointPort,
                      dns: s.dns,
                      mtu: s.mtu,
                      ipv4Pool: s.ipv4Pool,
                      ipv6Pool: s.ipv6Pool,
                    }}
                    activePeers={s.activePeers}
                    detailsHref={serverHref(s.id)}
                    connect={waiting ? <ConnectAgent appUrl={appUrl} addresses={poolInterfaceAddresses([s.ipv4Pool, s.ipv6Pool])} /> : undefined}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
