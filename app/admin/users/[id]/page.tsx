import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getUserReport, type DailyDto } from "@/lib/dal/analytics";
import { getServerForAdmin } from "@/lib/dal/servers";
import { listPlans } from "@/lib/dal/plans";
import { listUserIncidents } from "@/lib/dal/abuse-history";
import { getUserThrottles } from "@/lib/dal/abuse-throttles";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { fillDays } from "@/components/charts/format";
import { RecentConnections } from "@/components/usage/recent-connections";
import { UserInfo } from "./_components/user-info";
import { AccountHealth } from "./_components/account-health";
import { UsageCard } from "./_components/usage-card";
import { SubscriptionCard } from "./_components/subscription-card";
import { ChangeStatusForm } from "./_components/change-status-form";
import { TwoFactorAdminCard } from "./_components/two-factor-card";
import { connectionRows, text } from "./_components/report";
import { AbuseHistory } from "./_components/abuse-history";
import { ThrottlePanel } from "@/components/abuse/throttle-panel";
import { liftThrottleAction, throttleUserAction } from "@/app/admin/abuse/actions";

export const metadata: Metadata = { title: "User report" };

type Params = Promise<{ id: string }>;
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

/** A page of the abuse history; a mangled cursor starts again from the newest. */
async function loadAbuse(admin: UserActor, userId: string, cursor: string | undefined) {
  const throttles = getUserThrottles(admin, userId);
  const page = await listUserIncidents(admin, userId, { limit: 10, cursor }).catch((err: unknown) => {
    if (cursor && err instanceof AppError && err.code === "validation_error") return listUserIncidents(admin, userId, { limit: 10 });
    throw err;
  });
  return { page, throttles: await throttles };
}

/** The report, the plan catalogue and the favourite server's name; null for an unknown user. */
async function loadReport(admin: UserActor, userId: string) {
  if (userId.length > 100) return null;
  let report;
  try {
    report = await getUserReport(admin, userId);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
  const favoriteId = text(report.usage?.favoriteServerId);
  const [plans, favorite] = await Promise.all([
    listPlans(),
    favoriteId ? getServerForAdmin(admin, favoriteId).catch(() => null) : Promise.resolve(null),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  return { report, plans, favoriteServer: favorite?.name ?? null, daily: fillDays(report.daily, 30, today, emptyDay) };
}

export default async function UserReportPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const { id } = await params;
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === "string" && raw !== "" ? raw.slice(0, 300) : undefined;
  const loaded = await loadReport(admin, id);
  if (!loaded) notFound();
  const abuse = await loadAbuse(admin, id, cursor);
  const { report, plans, favoriteServer, daily } = loaded;
  const userId = text(report.user.id) ?? "";
  const email = text(report.user.email) ?? "";
  const isSelf = userId === admin.id;

  return (
    <div data-testid="user-report">
      <PageHeader
        title={email}
        description={text(report.user.name) ?? "User report"}
        actions={
          <>
            <ButtonLink href={`/agent/tickets?q=${encodeURIComponent(email)}`} size="sm">
              Tickets
            </ButtonLink>
            <ButtonLink href="#abuse-history" size="sm">
              Abuse history
            </ButtonLink>
            <ButtonLink href="/admin/users" size="sm" variant="ghost">
              All users
            </ButtonLink>
          </>
        }
      />
      <div className="space-y-6">
        <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <UserInfo user={report.user} />
          <AccountHealth health={report.accountHealth} />
        </div>
        <UsageCard usage={report.usage} daily={daily} favoriteServer={favoriteServer} />
        <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <SubscriptionCard report={report} plans={plans} />
          <Card data-testid="user-report-status-card">
            <CardHeader
              title="Account status"
              description="Suspended accounts can sign in and open tickets but their devices stop connecting; banned accounts cannot sign in."
            />
            <CardBody>
              {isSelf ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">This is your own account: another administrator has to change its status.</p>
              ) : (
                <ChangeStatusForm userId={userId} status={text(report.user.status) ?? "active"} />
              )}
            </CardBody>
          </Card>
        </div>
        <TwoFactorAdminCard admin={admin} userId={userId} email={email} />
        <ThrottlePanel actions={{ throttle: throttleUserAction, lift: liftThrottleAction }} userId={userId} email={email} current={abuse.throttles.current} history={abuse.throttles.history} />
        <AbuseHistory userId={userId} email={email} items={abuse.page.items} nextCursor={abuse.page.nextCursor} hasCursor={!!cursor} />
        <RecentConnections
          title="Recent connections"
          description="The last 20 sessions, newest first, in your local time (UTC when you point at one)."
          sessions={connectionRows(report.recentConnections)}
          testId="user-report-connections"
        />
      </div>
    </div>
  );
}
