import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getCustomerContext, getRequesterDevices, getSlaTargets, getTicket, listMacros, listSupportStaff } from "@/lib/services/support";
import { CATEGORY_LABELS } from "@/lib/support/labels";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { PriorityBadge, StatusBadge } from "@/components/support/badges";
import { LiveConversation } from "@/components/support/live-conversation";
import { LiveTicket } from "@/components/support/live-ticket";
import { PresenceBanner } from "./_components/presence-banner";
import { MessageForm } from "@/components/support/message-form";
import { DeviceTable } from "@/components/support/device-panel";
import { Stars } from "@/components/support/rating-form";
import { SlaCountdown } from "../_components/sla-countdown";
import { AssignToMe, TicketControls } from "../_components/ticket-controls";
import { TagEditor } from "../_components/tag-editor";
import { CustomerContext } from "../_components/customer-context";
import { ReportAbuse } from "../_components/report-abuse";

export const metadata: Metadata = { title: "Ticket" };

async function load(id: string) {
  const agent = await requirePermission("support.work");
  try {
    const [ticket, staff, devices, customer, macros] = await Promise.all([
      getTicket(agent, id, { view: "staff" }),
      listSupportStaff(agent),
      getRequesterDevices(agent, id),
      getCustomerContext(agent, id),
      listMacros(agent, { limit: 200 }),
    ]);
    return { agent, ticket, staff, devices, customer, macros: macros.items, renderedAt: Date.now() };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

export default async function AgentTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { agent, ticket: t, staff, devices, customer, macros, renderedAt } = await load(id);
  const requester = t.requester?.name ? `${t.requester.name} (${t.requester.email})` : (t.requester?.email ?? "—");
  const me = staff.find((p) => p.id === agent.id);
  const macroVars = { customerName: t.requester?.name ?? t.requester?.email ?? "there", ticketNumber: t.ticketNumber, agentName: me?.name ?? me?.email ?? agent.email, subject: t.subject };
  return (
    <>
      <PageHeader
        title={t.subject}
        description={
          <>
            <span className="font-mono">{t.ticketNumber}</span> · {CATEGORY_LABELS[t.category]} · from {requester} ·{" "}
            <Link href="/agent/tickets" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Back to the queue
            </Link>
          </>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <PriorityBadge priority={t.priority} />
            <StatusBadge status={t.status} />
            <SlaCountdown ticket={t} targets={getSlaTargets()} renderedAt={renderedAt} />
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <LiveTicket ticketId={t.id} viewerId={agent.id} staff initialMessages={t.messages} shape={{ status: t.status, priority: t.priority, assignedToId: t.assignedToId, tags: t.tags }}>
            <div className="space-y-6">
              <PresenceBanner />
              <LiveConversation request={{ author: t.requester?.name ?? t.requester?.email ?? "Requester", description: t.description, createdAt: t.createdAt, attachments: t.attachments }} messages={t.messages} />
              {t.status === "closed" ? (
                <Alert tone="info">This ticket is closed and takes no replies. Change its status to reopen it.</Alert>
              ) : (
                <MessageForm ticketId={t.id} staff macros={macros} macroVars={macroVars} />
              )}
            </div>
          </LiveTicket>
          <Card>
            <CardHeader title="Requester's devices now" description="Live from their devices and the servers' last heartbeats." />
            <DeviceTable snapshot={devices} label="Requester's devices now" />
          </Card>
          {t.deviceSnapshot ? (
            <Card>
              <CardHeader title="Devices when the ticket was opened" description={<>Snapshot taken <DateTime value={t.deviceSnapshot.takenAt} />.</>} />
              <DeviceTable snapshot={t.deviceSnapshot} label="Devices when the ticket was opened" />
            </Card>
          ) : null}
        </div>
        <aside className="space-y-6">
          <Card>
            <CardHeader title="Ticket" actions={t.assignedToId !== agent.id ? <AssignToMe ticketId={t.id} /> : null} />
            <CardBody>
              <TicketControls ticketId={t.id} status={t.status} priority={t.priority} assignedToId={t.assignedToId} staff={staff} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Tags" />
            <CardBody>
              <TagEditor ticketId={t.id} tags={t.tags} />
            </CardBody>
          </Card>
          <CustomerContext context={customer} />
          <Card>
            <CardHeader title="SLA" />
            <CardBody>
              <dl className="space-y-3">
                <Fact label="First response due">
                  <DateTime value={t.slaResponseDueAt} /> {t.slaResponseBreached ? <span className="font-semibold text-red-700 dark:text-red-400">· breached</span> : null}
                </Fact>
                <Fact label="First response">
                  <DateTime value={t.firstResponseAt} fallback="Not yet" />
                </Fact>
                <Fact label="Resolution due">
                  <DateTime value={t.slaDueAt} /> {t.slaBreached ? <span className="font-semibold text-red-700 dark:text-red-400">· breached</span> : null}
                </Fact>
                {t.slaPausedAt ? (
                  <Fact label="Clock stopped since">
                    <DateTime value={t.slaPausedAt} />
                  </Fact>
                ) : null}
                <Fact label="Opened">
                  <DateTime value={t.createdAt} />
                </Fact>
                {t.resolvedAt ? (
                  <Fact label="Resolved">
                    <DateTime value={t.resolvedAt} />
                  </Fact>
                ) : null}
                {t.userRating ? (
                  <Fact label="Customer rating">
                    <Stars value={t.userRating} />
                    {t.userFeedback ? <span className="mt-1 block whitespace-pre-wrap">{t.userFeedback}</span> : null}
                  </Fact>
                ) : null}
              </dl>
            </CardBody>
          </Card>
        </aside>
      </div>
      <ReportAbuse ticketId={t.id} subject={t.subject} />
    </>
  );
}
