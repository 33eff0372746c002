import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { TicketStatus } from "@/db/schema/support";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";
import { shortSubject, ticketUrl, type TicketEmailBase } from "./ticket-created";

const LABELS: Record<TicketStatus, string> = {
  open: "open",
  in_progress: "in progress",
  waiting_user: "waiting for your reply",
  waiting_support: "waiting for our team",
  resolved: "resolved",
  closed: "closed",
};

export const rateUrl = (appUrl: string, ticketId: string, score: number) =>
  `${appUrl.replace(/\/+$/, "")}/rate/${encodeURIComponent(ticketId)}?score=${score}`;

function TicketStatusEmail({ ticketNumber, status, url, rateLinks }: { ticketNumber: string; status: TicketStatus; url: string; rateLinks: string[] | null }) {
  return (
    <EmailLayout preview={`${ticketNumber} is now ${LABELS[status]}`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Your request <strong>{ticketNumber}</strong> is now <strong>{LABELS[status]}</strong>.
        {status === "resolved" ? " If something is still not right, just reply on the ticket and it reopens." : null}
      </Text>
      {rateLinks ? (
        <>
          <Text style={styles.text}>How did we do? Pick a score (you can add a comment on the next page):</Text>
          <Text style={{ ...styles.text, fontSize: "18px" }}>
            {rateLinks.map((href, i) => (
              <span key={href}>
                <Link href={href} style={styles.link}>
                  {"★".repeat(i + 1)}
                </Link>
                {i < rateLinks.length - 1 ? "   " : null}
              </span>
            ))}
          </Text>
        </>
      ) : null}
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          View your ticket
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** A status change made by support; resolved and closed tickets not rated yet carry the rating links. */
export function ticketStatusEmail(p: TicketEmailBase & { status: TicketStatus; askRating: boolean }): EmailTemplate {
  const appUrl = getEnv().APP_URL;
  const rateLinks = p.askRating ? [1, 2, 3, 4, 5].map((n) => rateUrl(appUrl, p.ticketId, n)) : null;
  return {
    name: "ticket_status",
    subject: `[${p.ticketNumber}] ${LABELS[p.status][0]!.toUpperCase()}${LABELS[p.status].slice(1)}: ${shortSubject(p.subject)}`,
    element: <TicketStatusEmail ticketNumber={p.ticketNumber} status={p.status} url={ticketUrl(appUrl, p.ticketId)} rateLinks={rateLinks} />,
  };
}
