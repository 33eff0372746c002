import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getQueueVersion, getSlaTargets, getTicketStats, listSupportStaff, listTickets, type QueueTicketDto } from "@/lib/services/support";
import { ListTicketsQuerySchema, type ListTicketsQuery } from "@/lib/validation/support";
import type { UserActor } from "@/lib/auth/actor";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { ButtonLink } from "@/components/ui/button";
import { LiveQueue } from "./_components/live-queue";
import { TicketStatsRow } from "./_components/stats-row";
import { QueueFilters, type QueueFilterValues } from "./_components/queue-filters";
import { QueueList } from "./_components/queue-list";
import { toQueueRows } from "./_components/queue-rows";

export const metadata: Metadata = { title: "Ticket queue" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

/** One page of the queue, the stats and the staff list, all as of one instant (so countdowns hydrate identically). */
async function loadQueue(agent: UserActor, query: ListTicketsQuery, values: QueueFilterValues, cursor: string | undefined) {
  const renderedAt = Date.now();
  const now = new Date(renderedAt);
  let page;
  try {
    page = await listTickets(agent, query, { view: "staff", defaultStatus: "active", now });
  } catch (err) {
    // A mangled page link: the first page with the same filters.
    if (err instanceof AppError && err.code === "validation_error" && cursor) {
      const keep = new URLSearchParams(Object.entries(values) as Array<[string, string]>);
      redirect(`/agent/tickets${keep.size ? `?${keep}` : ""}`);
    }
    throw err;
  }
  const [stats, staff] = await Promise.all([getTicketStats(agent, now), listSupportStaff(agent)]);
  return { page, stats, staff, renderedAt };
}

export default async function TicketQueuePage({ searchParams }: { searchParams: SearchParams }) {
  const agent = await requirePermission("support.work");
  const sp = await searchParams;
  const values: QueueFilterValues = Object.fromEntries(
    (["status", "priority", "category", "assignedTo", "sla", "tag", "q"] as const).map((k) => [k, one(sp[k])]).filter(([, v]) => v),
  );
  const cursor = one(sp.cursor);
  const parsed = ListTicketsQuerySchema.safeParse({ ...values, cursor });
  if (!parsed.success) redirect("/agent/tickets");

  // Read before the list: a change in between makes one refresh too many, never one too few.
  const version = await getQueueVersion(agent);
  const { page, stats, staff, renderedAt } = await loadQueue(agent, parsed.data, values, cursor);
  return (
    <>
      <PageHeader
        title="Ticket queue"
        description="Tickets waiting for the team, the most urgent SLA deadline first. Countdowns turn amber when due soon and red once breached."
        actions={
          <ButtonLink href="/agent/macros" variant="secondary" size="sm">
            Macros
          </ButtonLink>
        }
      />
      <LiveQueue version={version} />
      <TicketStatsRow stats={stats} currentTag={values.tag} />
      <Card>
        <CardBody className="border-b border-slate-200 dark:border-slate-800">
          <QueueFilters values={values} staff={staff} tags={stats.tags.map((x) => x.tag)} />
        </CardBody>
        {page.items.length === 0 ? (
          <EmptyState title="No tickets here">{Object.keys(values).length ? "No ticket matches these filters." : "The queue is empty. Nice work!"}</EmptyState>
        ) : (
          <QueueList items={toQueueRows(page.items as QueueTicketDto[])} targets={getSlaTargets()} renderedAt={renderedAt} staff={staff} knownTags={stats.tags.map((x) => x.tag)} />
        )}
        <Pagination basePath="/agent/tickets" params={{ ...values }} nextCursor={page.nextCursor} hasCursor={!!cursor} />
      </Card>
    </>
  );
}
