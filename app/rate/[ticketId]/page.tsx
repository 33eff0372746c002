import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { getAccountState } from "@/lib/dal/account-state";
import { AppError } from "@/lib/errors";
import { getTicket } from "@/lib/services/support";
import { AppShell } from "@/components/nav/app-shell";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { RatingForm, Stars } from "@/components/support/rating-form";
import { rateTicketAction } from "@/app/(app)/support/actions";

export const metadata: Metadata = { title: "Rate our support" };

/**
 * The page behind the emailed star links (/rate/<ticket>?score=N). A GET
 * never writes — mail scanners follow links — it only pre-selects the score;
 * the rating is saved when the signed-in requester submits the form.
 */
export default async function RatePage({
  params,
  searchParams,
}: {
  params: Promise<{ ticketId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ticketId } = await params;
  const sp = await searchParams;
  const raw = typeof sp.score === "string" ? Number(sp.score) : NaN;
  const score = Number.isInteger(raw) && raw >= 1 && raw <= 5 ? raw : undefined;

  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/rate/${encodeURIComponent(ticketId)}${score ? `?score=${score}` : ""}`)}`);

  let ticket;
  try {
    ticket = await getTicket(user, ticketId, { view: "requester" });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  const finished = ticket.status === "resolved" || ticket.status === "closed";
  const link = (
    <Link href={`/support/${ticket.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
      View the ticket
    </Link>
  );

  return (
    <AppShell user={user} accountState={await getAccountState(user.id)}>
      <PageHeader
        title="Rate our support"
        description={
          <>
            <span className="font-mono">{ticket.ticketNumber}</span> · {ticket.subject} · {link}
          </>
        }
      />
      <Card className="max-w-xl">
        <CardBody>
          {ticket.userRating ? (
            <div className="space-y-2" data-testid="rating-given">
              <p className="text-sm">You already rated this ticket — thank you!</p>
              <Stars value={ticket.userRating} />
            </div>
          ) : !finished ? (
            <Alert tone="info">You can rate this ticket once it is resolved.</Alert>
          ) : (
            <RatingForm ticketId={ticket.id} action={rateTicketAction} initialScore={score} />
          )}
        </CardBody>
      </Card>
    </AppShell>
  );
}
