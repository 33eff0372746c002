import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { TicketPriority } from "@/db/schema/support";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";
import { shortSubject, type TicketEmailBase } from "./ticket-created";

export type BreachKind = "response" | "resolution";
const KIND: Record<BreachKind, string> = { response: "first response", resolution: "resolution" };

function SlaBreachEmail({ ticketNumber, subject, kind, dueAt, priority, url }: { ticketNumber: string; subject: string; kind: BreachKind; dueAt: Date; priority: TicketPriority; url: string }) {
  return (
    <EmailLayout preview={`SLA breached: ${ticketNumber}`}>
      <Text style={styles.text}>
        The {KIND[kind]} deadline of <strong>{ticketNumber}</strong> ({priority} priority) passed at {dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC.
      </Text>
      <Text style={styles.text}>Subject: {subject}</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Open the ticket
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** The alert to the support team when the SLA monitor flags a breach (once per ticket and kind). */
export function slaBreachEmail(p: TicketEmailBase & { kind: BreachKind; dueAt: Date; priority: TicketPriority }): EmailTemplate {
  const url = `${getEnv().APP_URL.replace(/\/+$/, "")}/agent/tickets/${encodeURIComponent(p.ticketId)}`;
  return {
    name: "ticket_sla_breach",
    subject: `SLA breach (${KIND[p.kind]}): ${p.ticketNumber} ${shortSubject(p.subject)}`,
    element: <SlaBreachEmail ticketNumber={p.ticketNumber} subject={p.subject} kind={p.kind} dueAt={p.dueAt} priority={p.priority} url={url} />,
  };
}
