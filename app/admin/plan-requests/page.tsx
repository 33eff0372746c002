import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { listPlanRequests } from "@/lib/dal/plans";
import { AppError } from "@/lib/errors";
import { PlanRequestsQuerySchema } from "@/lib/validation/plans";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { cn } from "@/components/ui/cn";
import { DecideForm } from "./_components/decide-form";

export const metadata: Metadata = { title: "Plan requests" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

const FILTERS = [
  { status: "pending", label: "Pending" },
  { status: "approved", label: "Approved" },
  { status: "rejected", label: "Rejected" },
  { status: "cancelled", label: "Withdrawn" },
  { status: "all", label: "All" },
] as const;
const TONES: Record<string, BadgeTone> = { pending: "warning", approved: "success", rejected: "danger", cancelled: "neutral" };
const LABELS: Record<string, string> = { pending: "Pending", approved: "Approved", rejected: "Rejected", cancelled: "Withdrawn" };

export default async function PlanRequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("plans.manage");
  const sp = await searchParams;
  const parsed = PlanRequestsQuerySchema.safeParse({ status: one(sp.status), limit: 50, cursor: one(sp.cursor)?.slice(0, 300) });
  const query = parsed.success ? parsed.data : PlanRequestsQuerySchema.parse({});
  let result;
  try {
    result = await listPlanRequests(admin, query);
  } catch (err) {
    // A mangled page link: start again from the first page.
    if (err instanceof AppError && err.code === "validation_error" && query.cursor) redirect(`/admin/plan-requests?status=${query.status}`);
    throw err;
  }
  return (
    <>
      <PageHeader
        title="Plan requests"
        description="Users ask for another plan on their plan page. Approving moves them at once, as changing the plan on their user page does."
      />
      <nav aria-label="Filter by status" className="mb-4 flex flex-wrap gap-2">
        {FILTERS.map((f) => (
          <Link
            key={f.status}
            href={`/admin/plan-requests?status=${f.status}`}
            aria-current={query.status === f.status ? "page" : undefined}
            className={cn(
              "rounded-full px-3 py-1.5 text-sm ring-1 ring-inset",
              query.status === f.status
                ? "bg-slate-900 text-white ring-slate-900 dark:bg-slate-100 dark:text-slate-900"
                : "ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800",
            )}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      <Card>
        {result.items.length === 0 ? (
          <EmptyState title={query.status === "pending" ? "No pending requests" : "No requests"}>
            {query.status === "pending" ? "When a user asks for another plan, the request waits here." : "Nothing matches this filter."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="plan-requests">
            {result.items.map((r) => (
              <li key={r.id} className="grid gap-3 px-4 py-4 sm:px-6 md:grid-cols-[1fr_20rem]" data-testid="plan-request" data-request-id={r.id} data-user-email={r.userEmail}>
                <div className="min-w-0 space-y-1 text-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <Link href={`/admin/users/${r.userId}`} className="break-all font-medium text-sky-700 underline dark:text-sky-400">
                      {r.userEmail}
                    </Link>
                    <Badge tone={TONES[r.status] ?? "neutral"}>{LABELS[r.status] ?? r.status}</Badge>
                  </p>
                  <p>
                    {r.fromPlanName ?? "No plan"} → <strong>{r.toPlanName}</strong>
                  </p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    Asked <DateTime value={r.createdAt} />
                    {r.decidedAt ? (
                      <>
                        {" "}
                        · decided <DateTime value={r.decidedAt} />
                      </>
                    ) : null}
                  </p>
                  {r.note ? <p className="text-xs text-slate-600 dark:text-slate-400">Note: {r.note}</p> : null}
                </div>
                <div>{r.status === "pending" ? <DecideForm requestId={r.id} who={r.userEmail} toPlanName={r.toPlanName} /> : null}</div>
              </li>
            ))}
          </ul>
        )}
        <Pagination basePath="/admin/plan-requests" params={{ status: query.status }} nextCursor={result.nextCursor} hasCursor={!!query.cursor} />
      </Card>
    </>
  );
}
