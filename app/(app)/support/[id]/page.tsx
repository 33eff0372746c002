import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getTicket } from "@/lib/services/support";
import { CATEGORY_LABELS } from "@/lib/support/labels";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { PriorityBadge, StatusBadge } from "@/components/support/badges";
import { LiveConversation } from "@/components/support/live-conversation";
import { LiveTicket } from "@/components/support/live-ticket";
import { MessageForm } from "@/components/support/message-form";
import { RatingForm, Stars } from "@/components/support/rating-form";
import { DeviceTable } from "@/components/support/device-panel";
import { CloseTicketButton } from "../_components/close-ticket-button";
import { closeTicketAction, rateTicketAction } from "../actions";

export const metadata: Metadata = { title: "Ticket" };

/** The requester's view of their ticket: never internal notes (the DAL's requester view leaves them out). */
async function loadTicket(id: string) {
  const user = await requireUser();
  try {
    return { user, t: await getTicket(user, id, { view: "requester" }) };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, t } = await loadTicket(id);
  const finished = t.status === "resolved" || t.status === "closed";
  return (
    <>
      <PageHeader
        title={t.subject}
        description={
          <>
            <span className="font-mono">{t.ticketNumber}</span> · {CATEGORY_LABELS[t.category]} · opened <DateTime value={t.createdAt} />{" "}
            ·{" "}
            <Link href="/support" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
              All tickets
            </Link>
          </>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <PriorityBadge priority={t.priority} />
            <StatusBadge status={t.status} forRequester />
            {t.status !== "closed" ? <CloseTicketButton ticketId={t.id} action={closeTicketAction} /> : null}
          </div>
        }
      />
      <div className="space-y-6">
        {finished ? (
          <Card>
            <CardHeader title={t.userRating ? "Your rating" : "Rate our support"} />
            <CardBody>
              {t.userRating ? (
                <div data-testid="rating-given" className="space-y-1">
                  <Stars value={t.userRating} />
                  {t.userFeedback ? <p className="whitespace-pre-wrap text-sm">{t.userFeedback}</p> : null}
                </div>
              ) : (
                <RatingForm ticketId={t.id} action={rateTicketAction} />
              )}
            </CardBody>
          </Card>
        ) : null}

        {/* Replies, status changes and the like appear without a reload (requesters see no presence). */}
        <LiveTicket ticketId={t.id} viewerId={user.id} staff={false} initialMessages={t.messages} shape={{ status: t.status, priority: t.priority, assignedToId: t.assignedToId, tags: t.tags }}>
          <div className="space-y-6">
            <LiveConversation request={{ author: "You", description: t.description, createdAt: t.createdAt, attachments: t.attachments }} messages={t.messages} />

            {t.status === "closed" ? (
              <Alert tone="info">This ticket is closed. If you need more help, open a new ticket.</Alert>
            ) : (
              <>
                {t.status === "resolved" ? <Alert tone="info">This ticket is resolved. Replying reopens it.</Alert> : null}
                <MessageForm ticketId={t.id} />
              </>
            )}
          </div>
        </LiveTicket>

        {t.deviceSnapshot ? (
          <Card>
            <CardHeader title="Your devices when you opened this ticket" description="Shared with support to help diagnose connection problems." />
            <DeviceTable snapshot={t.deviceSnapshot} label="Your devices when the ticket was opened" />
          </Card>
        ) : null}
      </div>
    </>
  );
}
