import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { requireUser } from "@/lib/auth/session";
import { listTickets, type TicketDto } from "@/lib/services/support";
import { ListTicketsQuerySchema } from "@/lib/validation/support";
import { CATEGORY_LABELS } from "@/lib/support/labels";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Button, ButtonLink } from "@/components/ui/button";
import { Highlight } from "@/components/support/highlight";
import { DateTime } from "@/components/ui/date-time";
import { Pagination } from "@/components/ui/pagination";
import { PriorityBadge, StatusBadge } from "@/components/support/badges";

export const metadata: Metadata = { title: "Support" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SupportPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.trim().slice(0, 200) : "";
  const parsed = ListTicketsQuerySchema.safeParse({ cursor: typeof sp.cursor === "string" ? sp.cursor : undefined, q: q || undefined });
  if (!parsed.success) redirect("/support");
  const query = parsed.data;
  let page;
  try {
    page = await listTickets(user, query, { view: "requester" });
  } catch (err) {
    // A mangled page link: back to the first page.
    if (err instanceof AppError && err.code === "validation_error") redirect(q ? `/support?q=${encodeURIComponent(q)}` : "/support");
    throw err;
  }
  const { items, nextCursor } = page;
  return (
    <>
      <PageHeader
        title="Support"
        description="Ask our support team for help with your VPN. We answer by email and here."
        actions={
          <ButtonLink href="/support/new" variant="primary">
            New ticket
          </ButtonLink>
        }
      />
      <Card>
        <form role="search" action="/support" className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-4 py-3 sm:px-6 dark:border-slate-800">
          <label className="min-w-0 flex-1 text-sm">
            <span className="mb-1 block font-medium">Search your tickets</span>
            <input
              type="search"
              name="q"
              defaultValue={q}
              maxLength={200}
              placeholder="Words from a subject or a message"
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <Button type="submit">Search</Button>
          {q ? (
            <Link href="/support" className="py-2 text-sm text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Clear
            </Link>
          ) : null}
        </form>
        {items.length === 0 && q ? (
          <EmptyState title="No ticket matches">Nothing in your tickets matches “{q}”. Try other words.</EmptyState>
        ) : items.length === 0 ? (
          <EmptyState title="No tickets yet" action={<ButtonLink href="/support/new">Open a ticket</ButtonLink>}>
            When something does not work as expected, open a ticket: you can attach screenshots and logs.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Your tickets">
            {(items as TicketDto[]).map((t) => (
              <li key={t.id} data-testid="ticket-row">
                <Link href={`/support/${t.id}`} className="flex flex-col gap-2 px-4 py-3 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between sm:px-6 dark:hover:bg-slate-800/50">
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{t.subject}</span>
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      <span className="font-mono">{t.ticketNumber}</span> · {CATEGORY_LABELS[t.category]} · opened <DateTime value={t.createdAt} />
                    </span>
                    {t.highlight ? <Highlight html={t.highlight} className="mt-1 block text-sm text-slate-700 dark:text-slate-300" /> : null}
                  </span>
                  <span className="flex shrink-0 flex-wrap gap-2">
                    <PriorityBadge priority={t.priority} />
                    <StatusBadge status={t.status} forRequester />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <Pagination basePath="/support" params={q ? { q } : {}} nextCursor={nextCursor} hasCursor={!!query.cursor} />
      </Card>
    </>
  );
}
