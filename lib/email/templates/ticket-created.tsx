import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

export interface TicketEmailBase {
  ticketId: string;
  ticketNumber: string;
  subject: string;
}

export const ticketUrl = (appUrl: string, ticketId: string) => `${appUrl.replace(/\/+$/, "")}/support/${encodeURIComponent(ticketId)}`;
/** Subjects come from users: one line, bounded, in the email's subject header. */
export const shortSubject = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s).replace(/[\r\n]+/g, " ");

function TicketCreatedEmail({ ticketNumber, subject, url, responseDueAt }: { ticketNumber: string; subject: string; url: string; responseDueAt: Date }) {
  return (
    <EmailLayout preview={`We received your request ${ticketNumber}`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Thanks for contacting SecureWave support. Your request <strong>{ticketNumber}</strong> — “{subject}” — is in our queue.
        We aim to answer by {responseDueAt.toISOString().replace("T", " ").slice(0, 16)} UTC.
      </Text>
      <Text style={styles.text}>Reply on the ticket page at any time to add details, screenshots or logs.</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          View your ticket
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** Confirmation to the requester on creation, with the ticket number and a link. */
export function ticketCreatedEmail(p: TicketEmailBase & { responseDueAt: Date }): EmailTemplate {
  const url = ticketUrl(getEnv().APP_URL, p.ticketId);
  return {
    name: "ticket_created",
    subject: `[${p.ticketNumber}] We received your request: ${shortSubject(p.subject)}`,
    element: <TicketCreatedEmail ticketNumber={p.ticketNumber} subject={p.subject} url={url} responseDueAt={p.responseDueAt} />,
  };
}
