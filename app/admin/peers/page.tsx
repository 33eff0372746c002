import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getSystemPeerStats, listDuePeers } from "@/lib/dal/peer-stats";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatCard } from "./_components/stat-card";
import { AllocationChartLoader } from "./_components/allocation-chart-loader";
import { DuePeersTable } from "./_components/due-peers-table";
import { RunRotationButton } from "./_components/run-rotation-button";

export const metadata: Metadata = { title: "Peers" };

const DUE_LIST_LIMIT = 100;

/** `renderedAt` anchors "in 3 days" / "12 days ago" for the whole page. */
async function loadPeersPage(admin: UserActor) {
  const [stats, due] = await Promise.all([getSystemPeerStats(admin), listDuePeers(admin, DUE_LIST_LIMIT)]);
  return { stats, due, renderedAt: Date.now() };
}

export default async function AdminPeersPage() {
  const admin = await requirePermission("admin.view");
  const { stats, due, renderedAt } = await loadPeersPage(admin);
  const allocation = stats.servers.map(({ serverId, name, capacity, addressesAllocated }) => ({ serverId, name, capacity, addressesAllocated }));

  return (
    <>
      <PageHeader
        title="Peers"
        description="Every WireGuard peer (device) across all servers: how many are online, address allocation, and keys due for rotation."
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

        <Card>
          <CardHeader title="Addresses per server" description="Addresses allocated (one per active key, old keys in their grace period included) against each server's capacity." />
          <CardBody>
            {allocation.length === 0 ? (
              <EmptyState title="No servers yet">Add a server to see its address allocation.</EmptyState>
            ) : (
              <AllocationChartLoader servers={allocation} />
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
