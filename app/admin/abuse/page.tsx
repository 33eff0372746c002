import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { getAbuseStats, listIncidents } from "@/lib/dal/abuse";
import { AppError } from "@/lib/errors";
import { IncidentListQuerySchema } from "@/lib/validation/abuse";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { buttonClasses } from "@/components/ui/button";
import { AbuseStats } from "./_components/abuse-stats";
import { IncidentFilters } from "./_components/incident-filters";
import { IncidentsTable } from "./_components/incidents-table";
import { RunScanButton } from "./_components/run-scan-button";
import { OpenIncidentDialog } from "@/components/abuse/open-incident-dialog";
import { openIncidentAction } from "./actions";

export const metadata: Metadata = { title: "Abuse" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

export default async function AbusePage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("abuse.manage");
  const sp = await searchParams;
  // Unknown filter values are dropped rather than failing the page.
  const raw = { type: one(sp.type), severity: one(sp.severity), status: one(sp.status) };
  const filters = Object.fromEntries(
    Object.entries(raw).filter(([k, v]) => v !== undefined && IncidentListQuerySchema.shape[k as keyof typeof raw].safeParse(v).success),
  ) as { type?: string; severity?: string; status?: string };
  const parsed = IncidentListQuerySchema.parse({ ...filters, limit: 50 });
  const cursor = one(sp.cursor)?.slice(0, 300);

  let result;
  try {
    result = await listIncidents(admin, { ...parsed, cursor });
  } catch (err) {
    // A mangled page link: start again from the first page with the same filters.
    if (err instanceof AppError && err.code === "validation_error" && cursor) {
      const keep = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
      redirect(`/admin/abuse${keep.size ? `?${keep}` : ""}`);
    }
    throw err;
  }
  const stats = await getAbuseStats(admin, { days: 30 });
  const filtered = !!(filters.type || filters.severity || filters.status);
  // The export takes the queue's filters (status, type, severity): what is downloaded is what is listed.
  const exportQuery = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1])).toString();

  return (
    <>
      <PageHeader
        title="Abuse incidents"
        description="Raised by the hourly scan of connection telemetry, opened by hand, or reported from a support ticket. Pending incidents come first, then those under investigation, then closed ones. Open one to warn or throttle its user."
        actions={
          <>
            <a
              href={`/api/admin/export/incidents.csv${exportQuery ? `?${exportQuery}` : ""}`}
              download
              className={buttonClasses("secondary", "md")}
              data-testid="export-incidents"
            >
              {filtered ? "Export these incidents (CSV)" : "Export all incidents (CSV)"}
            </a>
            <OpenIncidentDialog action={openIncidentAction} />
            <RunScanButton />
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Statistics" description={`Incidents by type and severity over the last ${stats.periodDays} days; open counts are current.`} />
          <CardBody>
            <AbuseStats stats={stats} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Queue" />
          <CardBody className="border-b border-slate-200 dark:border-slate-800">
            <IncidentFilters {...filters} />
          </CardBody>
          {result.items.length === 0 ? (
            <EmptyState title="No incidents">{filtered ? "No incident matches these filters." : "No abuse has been detected. The scan runs every hour; you can also run it now."}</EmptyState>
          ) : (
            <IncidentsTable incidents={result.items} />
          )}
          <Pagination basePath="/admin/abuse" params={filters} nextCursor={result.nextCursor} hasCursor={!!cursor} />
        </Card>
      </div>
    </>
  );
}
