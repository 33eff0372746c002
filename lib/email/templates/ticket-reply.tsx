import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";
import { EmailMarkdown } from "./markdown";
import { shortSubject, ticketUrl, type TicketEmailBase } from "./ticket-created";

function TicketReplyEmail({ ticketNumber, reply, from, url }: { ticketNumber: string; reply: string; from: string; url: string }) {
  return (
    <EmailLayout preview={`New reply on ${ticketNumber}`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        {from} replied to your request <strong>{ticketNumber}</strong>:
      </Text>
      <Section style={{ borderLeft: "3px solid #cbd5e1", margin: "16px 0", padding: "4px 16px" }}>
        <EmailMarkdown text={reply} />
      </Section>
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Reply on the ticket
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** A staff reply the requester may see (never an internal note: the service does not call this for one). */
export function ticketReplyEmail(p: TicketEmailBase & { reply: string; from: string }): EmailTemplate {
  const url = ticketUrl(getEnv().APP_URL, p.ticketId);
  return {
    name: "ticket_reply",
    subject: `[${p.ticketNumber}] New reply: ${shortSubject(p.subject)}`,
    element: <TicketReplyEmail ticketNumber={p.ticketNumber} reply={p.reply} from={p.from} url={url} />,
  };
}
