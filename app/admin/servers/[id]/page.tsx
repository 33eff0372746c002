import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getServerDetailForAdmin, getServerTraffic } from "@/lib/dal/servers";
import { listPeersForAdmin } from "@/lib/dal/admin-peers";
import { unsealablePeerCounts } from "@/lib/services/server-config";
import { PEER_LIST_STATUSES } from "@/lib/validation/admin-lists";
import { isId } from "@/lib/validation/ids";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { buttonClasses } from "@/components/ui/button";
import { Metric } from "@/components/charts/metric";
import { SeriesChart } from "@/components/charts/charts";
import { RangeSelect } from "@/components/charts/range-select";
import { parseRange, RANGES, type RangeKey } from "@/components/charts/ranges";
import { formatBytes, formatCount, formatPercent } from "@/components/charts/format";
import { PeerFilters } from "../../peers/_components/peer-filters";
import { PeersTable } from "../../peers/_components/peers-table";
import { ServerActionsMenu } from "../_components/server-actions-menu";
import { ConnectAgent } from "../_components/connect-agent";
import { poolInterfaceAddresses } from "../_components/agent-install";
import { Endpoint } from "../_components/endpoint";
import { UnsealablePeersNotice } from "../_components/unsealable-peers-notice";
import { STATE_LABELS, STATE_TONES, serverState } from "../_components/labels";
import { AgentState } from "./_components/agent-state";

export const metadata: Metadata = { title: "Server" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const PAGE_SIZE = 25;

interface PeerFilterValues {
  q?: string;
  status?: (typeof PEER_LIST_STATUSES)[number];
  cursor?: string;
}

async function loadServerPage(admin: UserActor, id: string, range: RangeKey, f: PeerFilterValues) {
  try {
    const server = await getServerDetailForAdmin(admin, id);
    const [traffic, peers, unsealable] = await Promise.all([
      getServerTraffic(admin, id, { hours: RANGES[range].hours, bucket: RANGES[range].bucket }),
      listPeersForAdmin(admin, { serverId: id, q: f.q, status: f.status, cursor: f.cursor, limit: PAGE_SIZE }),
      unsealablePeerCounts([id]),
    ]);
    return { server, traffic, peers, unsealable: unsealable.get(id) ?? 0, renderedAt: Date.now() };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    if (err instanceof AppError && err.code === "validation_error" && f.cursor) {
      const keep = new URLSearchParams(Object.entries({ range, q: f.q, status: f.status }).filter((e): e is [string, string] => !!e[1]));
      redirect(`/admin/servers/${encodeURIComponent(id)}?${keep}`);
    }
    throw err;
  }
}

/** One server: its load, its agent (heartbeat, config applied, MTU), its traffic over time and its devices. */
export default async function ServerPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const admin = await requirePermission("servers.manage");
  const { id } = await params;
  if (!isId(id)) notFound();
  const sp = await searchParams;
  const range = parseRange(sp.range, "24h");
  const filters: PeerFilterValues = { q: one(sp.q)?.slice(0, 200), status: PEER_LIST_STATUSES.find((s) => s === one(sp.status)), cursor: one(sp.cursor) };
  const { server, traffic, peers, unsealable, renderedAt } = await loadServerPage(admin, id, range, filters);
  const state = serverState(server);
  const appUrl = getEnv().APP_URL;
  const connect = <ConnectAgent appUrl={appUrl} addresses={poolInterfaceAddresses([server.ipv4Pool, server.ipv6Pool])} />;
  const base = `/admin/servers/${encodeURIComponent(server.id)}`;
  const totalUp = traffic.reduce((s, t) => s + t.bytesUp, 0);
  const totalDown = traffic.reduce((s, t) => s + t.bytesDown, 0);
  // A server added within the range: its chart starts when it was added (or first measured), and says so.
  const partial = traffic.length < (RANGES[range].bucket === "day" ? RANGES[range].hours / 24 : RANGES[range].hours);
  const peerParams = { range, q: filters.q, status: filters.status };
  const exportQuery = new URLSearchParams(Object.entries({ serverId: server.id, q: filters.q, status: filters.status }).filter((e): e is [string, string] => !!e[1]));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/admin/servers" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
          Servers
        </Link>
        <span aria-hidden="true" className="px-1 text-slate-500">
          /
        </span>
        <span aria-current="page">{server.name}</span>
      </nav>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4" data-testid="server-detail" data-state={state}>
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">{server.name}</h1>
            <Badge tone={STATE_TONES[state]}>{STATE_LABELS[state]}</Badge>
          </div>
          <p className="mt-1 flex min-w-0 flex-wrap items-center gap-x-2 text-sm text-slate-600 dark:text-slate-400">
            <span>{server.region}</span>
            <span aria-hidden="true">·</span>
            <span className="flex min-w-0 max-w-full">
              <span className="sr-only">Endpoint: </span>
              <Endpoint host={server.endpointHost} port={server.endpointPort} />
            </span>
          </p>
        </div>
        <ServerActionsMenu
          server={{
            id: server.id,
            name: server.name,
            region: server.region,
            endpointHost: server.endpointHost,
            endpointPort: server.endpointPort,
            dns: server.dns,
            mtu: server.mtu,
            ipv4Pool: server.ipv4Pool,
            ipv6Pool: server.ipv6Pool,
          }}
          activePeers={server.activePeers}
          connect={state === "waiting" ? connect : undefined}
          leaveToAfterDelete="/admin/servers"
        />
      </header>

      <div className="space-y-6">
        <UnsealablePeersNotice servers={unsealable ? [{ id: server.id, name: server.name, count: unsealable }] : []} />
        <section aria-labelledby="server-load">
          <h2 id="server-load" className="sr-only">
            Load
          </h2>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="server-load">
            <Metric
              id="load"
              label="Load"
              value={formatPercent(server.load / 100)}
              hint={`${formatCount(server.activePeers)} active ${server.activePeers === 1 ? "device" : "devices"} of ${formatCount(server.capacity)} it can hold`}
              tone={server.load >= 80 ? "warning" : "neutral"}
            />
            <Metric id="online" label="Online now" value={formatCount(server.onlinePeers)} hint="Handshake in the last 3 minutes" tone={server.onlinePeers ? "success" : "neutral"} />
            <Metric
              id="addresses"
              label="Addresses held"
              value={formatCount(server.addressesUsed)}
              hint={`${formatPercent(server.capacity ? server.addressesUsed / server.capacity : 0)} of the pool, old keys in grace included`}
            />
            <Metric id="revoked" label="Revoked devices" value={formatCount(server.revokedPeers)} hint={`${formatCount(server.keysInGrace)} old keys in their grace period`} />
          </dl>
        </section>

        <Card id="agent" data-testid="server-agent">
          <CardHeader title="Agent" description="The SecureWave agent on the server pulls its WireGuard config and pushes statistics once a minute." />
          <CardBody className="space-y-4">
            <AgentState server={server} now={renderedAt} />
            {state === "waiting" ? connect : null}
          </CardBody>
        </Card>

        <Card data-testid="server-traffic">
          <CardHeader
            title="Traffic"
            description={
              <>
                Data through this server per {RANGES[range].bucket === "day" ? "UTC day" : "hour"} over {RANGES[range].long}
                {partial ? " (since the server was added)" : ""}: {formatBytes(totalDown)} to devices, {formatBytes(totalUp)} from them.
              </>
            }
            actions={<RangeSelect basePath={base} current={range} params={{ q: filters.q, status: filters.status }} label="Traffic time range" />}
          />
          <CardBody>
            <SeriesChart
              testId="server-traffic-chart"
              label={`Traffic of ${server.name} per ${RANGES[range].bucket}`}
              type="bar"
              data={traffic.map((t) => ({ at: t.at, down: t.bytesDown, up: t.bytesUp }))}
              xKey="at"
              xKind={RANGES[range].bucket === "day" ? "day" : "hour"}
              valueKind="bytes"
              height={240}
              series={[
                { key: "down", name: "To devices", color: 1, stack: "bytes" },
                { key: "up", name: "From devices", color: 2, stack: "bytes" },
              ]}
              empty={state === "waiting" ? "No traffic: no agent has reported from this server yet." : `No traffic through this server in ${RANGES[range].long}.`}
            />
          </CardBody>
        </Card>

        <Card data-testid="server-peers">
          <CardHeader
            title="Devices on this server"
            description={`${formatCount(server.activePeers)} active, ${formatCount(server.revokedPeers)} revoked; newest first.`}
            actions={
              <a href={`/api/admin/export/devices.csv?${exportQuery}`} download className={buttonClasses("secondary", "sm")}>
                Export these devices (CSV)
              </a>
            }
          />
          <CardBody className="border-b border-slate-200 dark:border-slate-800">
            <PeerFilters action={base} q={filters.q} status={filters.status} hidden={{ range }} />
          </CardBody>
          {peers.items.length === 0 ? (
            <EmptyState title="No devices">{filters.q || filters.status ? "No device on this server matches this search." : "No device uses this server yet."}</EmptyState>
          ) : (
            <PeersTable peers={peers.items} now={renderedAt} showServer={false} label={`Devices on ${server.name}`} />
          )}
          <Pagination basePath={base} params={peerParams} nextCursor={peers.nextCursor} hasCursor={!!filters.cursor} />
        </Card>
      </div>
    </>
  );
}
