import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getUsagePage, type DailyDto } from "@/lib/dal/analytics";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ButtonLink } from "@/components/ui/button";
import { fillDays } from "@/components/charts/format";
import { RecentConnections } from "@/components/usage/recent-connections";
import { parsePeriod, type Period } from "./period";
import { PeriodPicker } from "./_components/period-picker";
import { DailyCharts } from "./_components/daily-charts";
import { MonthAllowance } from "./_components/month-allowance";
import { DeviceBreakdown } from "./_components/device-breakdown";

export const metadata: Metadata = { title: "Usage" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const emptyDay = (date: string): DailyDto => ({
  date,
  connections: 0,
  connectionSeconds: 0,
  bytesUploaded: 0,
  bytesDownloaded: 0,
  avgLatencyMs: null,
  avgThroughputBps: 0,
  serversUsed: 0,
});

/** The page's data, with every day of the period present (zero when nothing happened) so the charts have a continuous axis. */
async function loadUsage(user: UserActor, days: Period) {
  const data = await getUsagePage(user, days);
  const today = new Date().toISOString().slice(0, 10);
  const hasAny =
    data.daily.length > 0 || data.recentSessions.length > 0 || data.month.bytes > 0 || data.devices.some((d) => d.bytesUploaded + d.bytesDownloaded > 0 || d.sessions > 0);
  return { ...data, daily: fillDays(data.daily, days, today, emptyDay), hasAny };
}

export default async function UsagePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const days = parsePeriod((await searchParams).days);
  const usage = await loadUsage(user, days);

  return (
    <>
      <PageHeader
        title="Usage"
        description="How much data your devices send and receive through the VPN, and for how long they are connected. Figures are updated every hour."
        actions={<PeriodPicker days={days} />}
      />
      {usage.hasAny ? (
        <div className="space-y-6">
          <DailyCharts daily={usage.daily} days={days} />
          <MonthAllowance month={usage.month} />
          <DeviceBreakdown devices={usage.devices} days={days} />
          <RecentConnections
            title="Last connections"
            description="Your most recent VPN sessions, newest first, in your local time (UTC when you point at one)."
            sessions={usage.recentSessions}
            testId="usage-sessions"
          />
        </div>
      ) : (
        <div className="space-y-6">
          <Card data-testid="usage-empty">
            <EmptyState
              title="No usage yet"
              action={
                <ButtonLink href="/devices" variant="primary">
                  Go to your devices
                </ButtonLink>
              }
            >
              Connect a device and your usage shows up here within the hour.
            </EmptyState>
          </Card>
          <MonthAllowance month={usage.month} />
        </div>
      )}
    </>
  );
}
