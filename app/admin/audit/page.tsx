import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { listAuditLog, type AuditEntryDto, type AuditFilters } from "@/lib/dal/audit";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/alert";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { AuditFiltersForm, TARGET_TYPES } from "./_components/audit-filters";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

type Filters = Omit<AuditFilters, "cursor" | "limit">;
const KEYS = ["action", "actor", "targetType", "target", "from", "to"] as const;

function readFilters(sp: Record<string, string | string[] | undefined>): Filters {
  const f: Filters = {};
  for (const k of KEYS) f[k] = one(sp[k])?.slice(0, 254);
  return f;
}

const href = (params: Filters) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `/admin/audit?${q}` : "/admin/audit";
};

const link = "text-sky-700 underline underline-offset-2 dark:text-sky-400";

/** Who acted: an account by email (a link that filters by it), or the kind of actor. */
function Actor({ e }: { e: AuditEntryDto }) {
  if (e.actorEmail) {
    return (
      <Link href={href({ actor: e.actorEmail })} className={`${link} block max-w-52 truncate`} title={`Only events by ${e.actorEmail}`}>
        {e.actorEmail}
      </Link>
    );
  }
  if (e.actorKind === "system" || e.actorKind === "anonymous") return <span className="text-slate-600 dark:text-slate-400">{e.actorKind}</span>;
  return (
    <span className="text-slate-600 dark:text-slate-400">
      {e.actorKind}
      {e.actorId ? <code className="ml-1 font-mono text-xs">{e.actorId.slice(0, 8)}</code> : null}
    </span>
  );
}

const TARGET_PAGES: Record<string, (id: string) => string> = {
  user: (id) => `/admin/users/${encodeURIComponent(id)}`,
  vpn_server: (id) => `/admin/servers/${encodeURIComponent(id)}`,
};

/** What was acted on: a link that filters by it, and to its page where there is one. */
function Target({ e }: { e: AuditEntryDto }) {
  if (!e.targetType) return <span className="text-slate-600 dark:text-slate-400">—</span>;
  const page = e.targetId ? TARGET_PAGES[e.targetType]?.(e.targetId) : undefined;
  return (
    <span className="flex flex-col">
      <span className="text-xs text-slate-600 dark:text-slate-400">{TARGET_TYPES[e.targetType] ?? e.targetType}</span>
      {e.targetId ? (
        <Link href={href({ targetType: e.targetType, target: e.targetEmail ?? e.targetId })} className={`${link} max-w-48 truncate`} title="Only events about this">
          {e.targetEmail ?? <code className="font-mono text-xs">{e.targetId}</code>}
        </Link>
      ) : null}
      {page ? (
        <Link
          href={page}
          aria-label={`Open ${(TARGET_TYPES[e.targetType] ?? e.targetType).toLowerCase()} ${e.targetEmail ?? e.targetId}`}
          className="text-xs text-slate-700 underline underline-offset-2 dark:text-slate-300"
        >
          Open
        </Link>
      ) : null}
    </span>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const sp = await searchParams;
  const filters = readFilters(sp);
  const cursor = one(sp.cursor);
  const filtered = KEYS.some((k) => filters[k]);

  let result;
  let problem: string | null = null;
  try {
    result = await listAuditLog(admin, { ...filters, cursor });
  } catch (err) {
    if (!(err instanceof AppError && err.code === "validation_error")) throw err;
    // A mangled page link: the first page with the same filters. A bad filter (a date that is not one): say so, show nothing.
    if (cursor) redirect(href(filters));
    problem = err.message;
    result = { items: [], nextCursor: null };
  }

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security events, newest first: sign-ins, tokens, role and status changes, server and abuse actions, job triggers, exports."
      />
      <Card>
        <CardBody className="border-b border-slate-200 dark:border-slate-800">
          <AuditFiltersForm filters={filters} filtered={filtered} />
        </CardBody>
        {problem ? (
          <div className="p-4 sm:px-6">
            <Alert tone="error" title="These filters cannot be used">
              {problem}
            </Alert>
          </div>
        ) : null}
        {result.items.length === 0 ? (
          <EmptyState title="No events found">{filtered ? "No event matches these filters." : "Nothing has been recorded yet."}</EmptyState>
        ) : (
          <Table label="Audit log entries">
            <thead>
              <tr>
                <Th>Time and address</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Details</Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <Td>
                    <DateTime value={e.createdAt} />
                    <span className="block">
                      {e.ip ? <code className="font-mono text-xs">{e.ip}</code> : <span className="text-xs text-slate-600 dark:text-slate-400">no address</span>}
                    </span>
                  </Td>
                  <Td>
                    <Actor e={e} />
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">{e.action}</code>
                  </Td>
                  <Td>
                    <Target e={e} />
                  </Td>
                  <Td>
                    {e.metadata && Object.keys(e.metadata).length ? (
                      <code className="block max-w-52 whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(e.metadata)}</code>
                    ) : (
                      <span className="text-slate-600 dark:text-slate-400">—</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <Pagination basePath="/admin/audit" params={filters as Record<string, string | undefined>} nextCursor={result.nextCursor} hasCursor={!!cursor} />
      </Card>
    </>
  );
}
