import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getSystemPeerStats, listDuePeers } from "@/lib/dal/peer-stats";
import { listPeersForAdmin } from "@/lib/dal/admin-peers";
import { PEER_LIST_STATUSES } from "@/lib/validation/admin-lists";
import { isId } from "@/lib/validation/ids";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { buttonClasses } from "@/components/ui/button";
import { StatCard } from "./_components/stat-card";
import { AllocationBars } from "./_components/allocation-bars";
import { DuePeersTable } from "./_components/due-peers-table";
import { RunRotationButton } from "./_components/run-rotation-button";
import { PeerFilters } from "./_components/peer-filters";
import { PeersTable } from "./_components/peers-table";

export const metadata: Metadata = { title: "Peers" };

const DUE_LIST_LIMIT = 100;
const PAGE_SIZE = 50;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

interface Filters {
  q?: string;
  serverId?: string;
  status?: (typeof PEER_LIST_STATUSES)[number];
  cursor?: string;
}

function readFilters(sp: Record<string, string | string[] | undefined>): Filters {
  const serverId = one(sp.serverId);
  return {
    q: one(sp.q)?.slice(0, 200),
    serverId: serverId && isId(serverId) ? serverId : undefined,
    status: PEER_LIST_STATUSES.find((s) => s === one(sp.status)),
    cursor: one(sp.cursor),
  };
}

const filterParams = (f: Filters) => ({ q: f.q, serverId: f.serverId, status: f.status });
const query = (params: Record<string, string | undefined>) => new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

/** `renderedAt` anchors "in 3 days" / "12 min ago" for the whole page. */
async function loadPeersPage(admin: UserActor, f: Filters) {
  try {
    const [stats, due, peers] = await Promise.all([
      getSystemPeerStats(admin),
      listDuePeers(admin, DUE_LIST_LIMIT),
      listPeersForAdmin(admin, { ...filterParams(f), cursor: f.cursor, limit: PAGE_SIZE }),
    ]);
    return { stats, due, peers, renderedAt: Date.now() };
  } catch (err) {
    // A mangled page link: the first page with the same filters.
    if (err instanceof AppError && err.code === "validation_error" && f.cursor) {
      const keep = query(filterParams(f));
      redirect(`/admin/peers${keep ? `?${keep}` : ""}`);
    }
    throw err;
  }
}

export default async function AdminPeersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const filters = readFilters(await searchParams);
  const { stats, due, peers, renderedAt } = await loadPeersPage(admin, filters);
  const filtered = !!(filters.q || filters.serverId || filters.status);
  const exportQuery = query(filterParams(filters));

  return (
    <>
      <PageHeader
        title="Peers"
        description="Every WireGuard peer (device) across all servers: find one by owner, name, address or key; how many are online; address pools; keys due for rotation."
        actions={<RunRotationButton />}
      />
      <div className="space-y-6">
        <section aria-labelledby="peer-stats-heading">
          <h2 id="peer-stats-heading" className="sr-only">
            Peer statistics
          </h2>
          <dl data-testid="peer-stats" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <StatCard id="total" label="Total" value={stats.total} hint="Including revoked" />
            <StatCard id="active" label="Active" value={stats.active} tone="success" />
            <StatCard id="revoked" label="Revoked" value={stats.revoked} />
            <StatCard id="byok" label="Bring your own key" value={stats.bringYourOwnKey} hint="Active, key kept by the user" />
            <StatCard id="online" label="Online now" value={stats.onlineNow} tone="success" hint="Handshake in the last 3 min" />
            <StatCard id="due" label="Due for rotation" value={stats.dueForRotation} tone="warning" hint="Including overdue" />
            <StatCard id="overdue" label="Overdue" value={stats.overdueForRotation} tone="danger" hint="Due for more than 7 days" />
            <StatCard id="grace" label="In grace period" value={stats.inGracePeriod} tone="info" hint="Old keys still accepted" />
          </dl>
        </section>

        <Card data-testid="peer-list">
          <CardHeader
            title="Devices"
            description="Newest first."
            actions={
              <a href={`/api/admin/export/devices.csv${exportQuery ? `?${exportQuery}` : ""}`} download className={buttonClasses("secondary", "sm")} data-testid="export-devices">
                {filtered ? "Export these devices (CSV)" : "Export all devices (CSV)"}
              </a>
            }
          />
          <CardBody className="border-b border-slate-200 dark:border-slate-800">
            <PeerFilters action="/admin/peers" q={filters.q} serverId={filters.serverId} status={filters.status} servers={stats.servers.map((s) => ({ id: s.serverId, name: s.name }))} />
          </CardBody>
          {peers.items.length === 0 ? (
            <EmptyState title="No devices found">{filtered ? "No device matches this search." : "No device has been added yet."}</EmptyState>
          ) : (
            <PeersTable peers={peers.items} now={renderedAt} />
          )}
          <Pagination basePath="/admin/peers" params={filterParams(filters)} nextCursor={peers.nextCursor} hasCursor={!!filters.cursor} />
        </Card>

        <Card>
          <CardHeader
            title="Address pools"
            description="The share of each server's pool in use: addresses held by active keys, and by old keys in their grace period."
          />
          <CardBody>
            {stats.servers.length === 0 ? (
              <EmptyState title="No servers yet">Add a server to see its address pool.</EmptyState>
            ) : (
              <AllocationBars servers={stats.servers} />
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Due for rotation"
            description={
              <>
                Devices whose key is overdue, due, or due within 7 days. Bring-your-own-key (BYOK) devices are not rotated by the server: their owners are
                emailed a reminder.
                {due.length === DUE_LIST_LIMIT ? ` Showing the first ${DUE_LIST_LIMIT}.` : null}
              </>
            }
          />
          {due.length === 0 ? (
            <EmptyState title="Nothing due">No device needs a new key in the next 7 days.</EmptyState>
          ) : (
            <DuePeersTable peers={due} now={renderedAt} />
          )}
        </Card>
      </div>
    </>
  );
}
