import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/policy";
import { listMacros } from "@/lib/services/support";
import { STATUS_LABELS } from "@/lib/support/labels";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { CreateMacroForm, DeleteMacroDialog, EditMacroDialog } from "./_components/macro-dialogs";

export const metadata: Metadata = { title: "Macros" };

/** The canned replies: every agent reads them (and inserts them from a ticket's reply box); admins write them. */
export default async function MacrosPage() {
  const actor = await requirePermission("support.work");
  const manage = can(actor, "support.macros.manage");
  const { items } = await listMacros(actor, { limit: 200 });
  return (
    <>
      <PageHeader
        title="Macros"
        description={
          manage
            ? "Canned replies agents insert from a ticket's reply box, with the customer's name and the ticket filled in. A macro can also set the status and add tags when the reply is sent."
            : "Canned replies you can insert from a ticket's reply box. Administrators maintain them."
        }
        actions={
          <ButtonLink href="/agent/tickets" variant="secondary" size="sm">
            Back to the queue
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        {manage ? (
          <Card>
            <CardHeader title="New macro" />
            <CardBody>
              <CreateMacroForm />
            </CardBody>
          </Card>
        ) : null}
        <Card aria-labelledby="macro-list-title">
          <CardHeader title={<span id="macro-list-title">All macros</span>} description={`${items.length} ${items.length === 1 ? "macro" : "macros"}`} />
          {items.length === 0 ? (
            <EmptyState title="No macros yet">{manage ? "Add the replies your team writes most often." : "An administrator has not added any yet."}</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Macros">
              {items.map((m) => (
                <li key={m.id} data-testid="macro-row" className="space-y-2 px-4 py-4 sm:px-6">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <h3 className="min-w-0 font-medium break-words">{m.name}</h3>
                    {manage ? (
                      <div className="flex shrink-0 gap-2">
                        <EditMacroDialog macro={m} />
                        <DeleteMacroDialog macro={m} />
                      </div>
                    ) : null}
                  </div>
                  <p className="text-sm break-words whitespace-pre-wrap text-slate-700 dark:text-slate-300">{m.body}</p>
                  {m.setStatus || m.addTags.length ? (
                    <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                      {m.setStatus ? <span>Sets status: {STATUS_LABELS[m.setStatus]}</span> : null}
                      {m.addTags.length ? (
                        <span className="flex flex-wrap items-center gap-1">
                          Adds tags:
                          {m.addTags.map((t) => (
                            <Badge key={t}>{t}</Badge>
                          ))}
                        </span>
                      ) : null}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
