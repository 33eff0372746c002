import { Metric } from "@/components/charts/metric";
import { formatCount } from "@/components/charts/format";
import type { Snapshot } from "./snapshot";

/** Active users over three windows and sign-ups today. */
export function UserMetrics({ latest }: { latest: Snapshot | null }) {
  const v = (x: number | undefined) => (latest ? formatCount(x ?? 0) : "—");
  const of = latest ? `of ${formatCount(latest.totalUsers)} ${latest.totalUsers === 1 ? "account" : "accounts"}` : undefined;
  return (
    <section aria-labelledby="dash-users">
      <h2 id="dash-users" className="sr-only">
        Users
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="dashboard-users">
        <Metric id="active24h" label="Active users, 24 h" value={v(latest?.activeUsers24h)} hint={of} tone={latest ? "success" : "neutral"} href="/admin/users" />
        <Metric id="active7d" label="Active users, 7 days" value={v(latest?.activeUsers7d)} hint={of} />
        <Metric id="active30d" label="Active users, 30 days" value={v(latest?.activeUsers30d)} hint={of} />
        <Metric id="newToday" label="New users today" value={v(latest?.newUsersToday)} hint="Since midnight UTC" tone={latest ? "info" : "neutral"} />
      </dl>
    </section>
  );
}
