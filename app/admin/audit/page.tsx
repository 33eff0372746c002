import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { listAuditLog, type AuditEntryDto } from "@/lib/dal/audit";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { InputField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

function Actor({ e }: { e: AuditEntryDto }) {
  if (e.actorEmail) return <span>{e.actorEmail}</span>;
  if (e.actorKind === "system") return <span className="text-slate-600 dark:text-slate-400">system</span>;
  if (e.actorKind === "anonymous") return <span className="text-slate-600 dark:text-slate-400">anonymous</span>;
  return (
    <span className="text-slate-600 dark:text-slate-400">
      {e.actorKind}
      {e.actorId ? <code className="ml-1 font-mono text-xs">{e.actorId.slice(0, 8)}</code> : null}
    </span>
  );
}

function Target({ e }: { e: AuditEntryDto }) {
  if (!e.targetType) return <span className="text-slate-500">—</span>;
  return (
    <span>
      <span className="text-slate-600 dark:text-slate-400">{e.targetType}</span>{" "}
      {e.targetEmail ?? (e.targetId ? <code className="font-mono text-xs">{e.targetId}</code> : null)}
    </span>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const sp = await searchParams;
  const action = one(sp.action)?.slice(0, 100);
  const cursor = one(sp.cursor);

  let result;
  try {
    result = await listAuditLog(admin, { action, cursor });
  } catch (err) {
    if (err instanceof AppError && err.code === "validation_error" && cursor) {
      redirect(action ? `/admin/audit?action=${encodeURIComponent(action)}` : "/admin/audit");
    }
    throw err;
  }

  return (
    <>
      <PageHeader title="Audit log" description="Security events, newest first: sign-ins, tokens, role and status changes, job triggers." />
      <Card>
        <CardBody className="border-b border-slate-200 dark:border-slate-800">
          <form method="get" action="/admin/audit" role="search" className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
            <InputField
              label="Action"
              name="action"
              defaultValue={action}
              placeholder="e.g. auth.sign_in_failed or account."
              hint="Matches actions starting with this text."
              maxLength={100}
            />
            <div className="flex gap-2 sm:mb-5">
              <Button type="submit">Filter</Button>
              {action ? (
                <ButtonLink href="/admin/audit" variant="ghost">
                  Clear
                </ButtonLink>
              ) : null}
            </div>
          </form>
        </CardBody>
        {result.items.length === 0 ? (
          <EmptyState title="No events found">{action ? "No event matches this action." : "Nothing has been recorded yet."}</EmptyState>
        ) : (
          <Table label="Audit log entries">
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>IP</Th>
                <Th>Details</Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <Td>
                    <DateTime value={e.createdAt} />
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
                  <Td>{e.ip ? <code className="font-mono text-xs">{e.ip}</code> : <span className="text-slate-500">—</span>}</Td>
                  <Td>
                    {e.metadata && Object.keys(e.metadata).length ? (
                      <code className="block max-w-80 whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(e.metadata)}</code>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <Pagination basePath="/admin/audit" params={{ action }} nextCursor={result.nextCursor} hasCursor={!!cursor} />
      </Card>
    </>
  );
}
