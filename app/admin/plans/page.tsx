import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { listPlansForAdmin } from "@/lib/dal/plans";
import { getEnv } from "@/lib/env";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { formatBytes, formatMoney } from "@/components/charts/format";
import { AddPlanDialog, EditPlanDialog } from "./_components/plan-dialogs";

export const metadata: Metadata = { title: "Plans" };

export default async function AdminPlansPage() {
  const admin = await requirePermission("plans.manage");
  const plans = await listPlansForAdmin(admin);
  const defaultDeviceLimit = getEnv().DEFAULT_DEVICE_LIMIT;
  return (
    <>
      <PageHeader
        title="Plans"
        description={
          <>
            What each plan allows and costs. Changes apply to every subscriber at once. Users ask to change plan on their plan page; decide in{" "}
            <Link href="/admin/plan-requests" className="font-medium text-sky-700 underline dark:text-sky-400">
              Plan requests
            </Link>
            .
          </>
        }
        actions={<AddPlanDialog defaultDeviceLimit={defaultDeviceLimit} />}
      />
      <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" data-testid="admin-plans">
        {plans.map((p) => (
          <li key={p.id} data-testid="admin-plan" data-plan-id={p.id}>
            <Card className="flex h-full flex-col p-4">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <h2 className="text-base font-semibold">{p.name}</h2>
                  <p className="font-mono text-xs text-slate-500 dark:text-slate-400">{p.id}</p>
                </div>
                {p.isDefault ? <Badge tone="info">Default for new accounts</Badge> : null}
              </div>
              <dl className="mt-3 grid flex-1 grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="text-slate-600 dark:text-slate-400">Price</dt>
                <dd className="tabular-nums">{formatMoney(p.priceCents)} / month</dd>
                <dt className="text-slate-600 dark:text-slate-400">Devices</dt>
                <dd data-testid="admin-plan-devices">
                  {p.effectiveDeviceLimit}
                  {p.deviceLimit === null ? " (standard)" : ""}
                </dd>
                <dt className="text-slate-600 dark:text-slate-400">Data</dt>
                <dd>{p.monthlyDataBytes === null ? "Unlimited" : `${formatBytes(p.monthlyDataBytes)} / month`}</dd>
                <dt className="text-slate-600 dark:text-slate-400">Device lifetime</dt>
                <dd data-testid="admin-plan-lifetime">{p.deviceLifetimeDays === null ? "Never expire" : `${p.deviceLifetimeDays} days for new devices`}</dd>
                <dt className="text-slate-600 dark:text-slate-400">Subscribers</dt>
                <dd className="tabular-nums">{p.subscribers}</dd>
              </dl>
              <div className="mt-4 flex justify-end">
                <EditPlanDialog plan={p} defaultDeviceLimit={defaultDeviceLimit} />
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
