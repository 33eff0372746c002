import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { listOutbox } from "@/lib/dal/outbox";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { OUTBOX_LABELS, OUTBOX_STATUSES, OUTBOX_TONES, isOutboxStatus } from "./status";

export const metadata: Metadata = { title: "Outbox" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

export default async function OutboxPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("admin.view");
  const sp = await searchParams;
  const rawStatus = one(sp.status);
  const status = isOutboxStatus(rawStatus) ? rawStatus : undefined;
  const cursor = one(sp.cursor);

  let result;
  try {
    result = await listOutbox(admin, { status, cursor });
  } catch (err) {
    if (err instanceof AppError && err.code === "validation_error" && cursor) redirect(status ? `/admin/outbox?status=${status}` : "/admin/outbox");
    throw err;
  }

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email the service sends is written here first. Without a Resend API key, this is where emails are delivered."
      />
      <Card>
        <CardBody className="border-b border-slate-200 dark:border-slate-800">
          <form method="get" action="/admin/outbox" className="flex flex-wrap items-end gap-3">
            <SelectField label="Status" name="status" defaultValue={status ?? ""} fieldClassName="w-48">
              <option value="">All statuses</option>
              {OUTBOX_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {OUTBOX_LABELS[s]}
                </option>
              ))}
            </SelectField>
            <Button type="submit">Filter</Button>
          </form>
        </CardBody>
        {result.items.length === 0 ? (
          <EmptyState title="No emails">{status ? "No email has this status." : "No email has been queued yet."}</EmptyState>
        ) : (
          <Table label="Outbox emails">
            <thead>
              <tr>
                <Th>Created</Th>
                <Th>To</Th>
                <Th>Subject and template</Th>
                <Th>Status</Th>
                <Th>Sent</Th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((m) => (
                <tr key={m.id} data-testid="outbox-row">
                  <Td>
                    <DateTime value={m.createdAt} />
                  </Td>
                  <Td>
                    <span className="block max-w-56 truncate" title={m.to}>
                      {m.to}
                    </span>
                  </Td>
                  <Td>
                    <Link href={`/admin/outbox/${m.id}`} className="block max-w-xs whitespace-normal font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                      {m.subject}
                    </Link>
                    <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{m.template}</code>
                  </Td>
                  <Td>
                    <div className="flex flex-col gap-1">
                      <Badge tone={OUTBOX_TONES[m.status]} className="self-start">
                        {OUTBOX_LABELS[m.status]}
                      </Badge>
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        {m.attempts} {m.attempts === 1 ? "attempt" : "attempts"}
                      </span>
                      {m.lastError ? <span className="block max-w-56 whitespace-normal text-xs text-red-700 dark:text-red-400">{m.lastError}</span> : null}
                    </div>
                  </Td>
                  <Td>
                    <DateTime value={m.sentAt} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <Pagination basePath="/admin/outbox" params={{ status }} nextCursor={result.nextCursor} hasCursor={!!cursor} />
      </Card>
    </>
  );
}
