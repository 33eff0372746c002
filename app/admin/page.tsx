import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { getAdminDashboard } from "@/lib/dal/analytics";
import { PageHeader } from "@/components/ui/page-header";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { RangeSelect } from "@/components/charts/range-select";
import { parseRange, RANGES } from "@/components/charts/ranges";
import { toSnapshot } from "./_components/snapshot";
import { AreaLinks } from "./_components/area-links";
import { CollectMetricsButton } from "./_components/collect-metrics-button";
import { UserMetrics } from "./_components/user-metrics";
import { BandwidthCard, ConnectionsCard } from "./_components/traffic-cards";
import { ServersCard } from "./_components/servers-card";
import { RevenueCard } from "./_components/revenue-card";
import { SupportCard } from "./_components/support-card";
import { TopUsers } from "./_components/top-users";
import { HistoryNote } from "./_components/history-note";
import { ExportsCard } from "./_components/exports-card";

export const metadata: Metadata = { title: "Dashboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminDashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const range = parseRange((await searchParams).range, "7d");
  const dashboard = await getAdminDashboard(admin, RANGES[range].hours, { recentRevenue: true });
  const latest = dashboard.latest ? toSnapshot(dashboard.latest) : null;
  const history = dashboard.history.map(toSnapshot);
  const rangeText = RANGES[range].long;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          latest ? (
            <>
              The health of the service at a glance. Latest snapshot: <DateTime value={latest.timestamp} />; snapshots are taken every hour.
            </>
          ) : (
            "The health of the service at a glance."
          )
        }
        actions={<AreaLinks />}
      />
      <div className="space-y-6">
        {latest ? null : (
          <Alert tone="warning" title="No system metrics yet" testId="dashboard-no-metrics">
            <p>
              The metrics job takes a snapshot of the service every hour, and the rollup job computes per-user usage. Neither has run yet on this
              installation. Run them now, or wait for the next hour.
            </p>
            <CollectMetricsButton />
          </Alert>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <HistoryNote range={range} first={history[0]?.timestamp ?? null} last={history[history.length - 1]?.timestamp ?? null} />
          <RangeSelect basePath="/admin" current={range} label="Dashboard time range" />
        </div>
        <div data-testid="dashboard-charts" data-range={range} className="space-y-6">
          <UserMetrics latest={latest} />
          <ConnectionsCard latest={latest} history={history} rangeText={rangeText} />
          <BandwidthCard latest={latest} history={history} rangeText={rangeText} />
          <ServersCard servers={dashboard.servers} latest={latest} />
          <RevenueCard revenue={dashboard.revenue} latest={latest} />
          <SupportCard latest={latest} history={history} rangeText={rangeText} />
        </div>
        <div className="grid gap-6 xl:grid-cols-2 [&>*]:min-w-0">
          <TopUsers title="Top 10 users by data" users={dashboard.topUsersByData} by="data" testId="dashboard-top-data" />
          <TopUsers title="Top 10 users by connections" users={dashboard.topUsersByConnections} by="connections" testId="dashboard-top-connections" />
        </div>
        <ExportsCard />
      </div>
    </>
  );
}
