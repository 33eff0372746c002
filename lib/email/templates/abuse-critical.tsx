import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

export interface CriticalIncidentSummary {
  id: string;
  userEmail: string;
  incidentType: string;
  description: string;
}

const MAX_LISTED = 20;
const label = (type: string) => type.replace(/_/g, " ");

function AbuseCriticalEmail({ incidents, appUrl }: { incidents: CriticalIncidentSummary[]; appUrl: string }) {
  const base = appUrl.replace(/\/+$/, "");
  const listed = incidents.slice(0, MAX_LISTED);
  const more = incidents.length - listed.length;
  return (
    <EmailLayout preview={`${incidents.length} critical abuse incident${incidents.length === 1 ? "" : "s"} need review`}>
      <Text style={styles.text}>
        The abuse scan raised {incidents.length === 1 ? "a critical incident" : `${incidents.length} critical incidents`}: a figure at least three
        times its threshold. Review {incidents.length === 1 ? "it" : "them"} in the abuse queue.
      </Text>
      {listed.map((i) => (
        <Text key={i.id} style={styles.text}>
          <strong>{label(i.incidentType)}</strong> — {i.userEmail}
          <br />
          {i.description}
          <br />
          <a href={`${base}/admin/abuse/${i.id}`} style={styles.link}>
            Open the incident
          </a>
        </Text>
      ))}
      {more > 0 ? <Text style={styles.text}>…and {more} more.</Text> : null}
      <Section style={{ margin: "24px 0" }}>
        <Button href={`${base}/admin/abuse?status=pending&severity=critical`} style={styles.button}>
          Open the abuse queue
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** To every active admin when a scan raises critical incidents (one email per detector run, listing them). */
export function abuseCriticalEmail(incidents: CriticalIncidentSummary[]): EmailTemplate {
  const appUrl = getEnv().APP_URL;
  const subject =
    incidents.length === 1
      ? `Critical abuse incident: ${label(incidents[0].incidentType)} (${incidents[0].userEmail})`
      : `${incidents.length} critical abuse incidents`;
  return { name: "abuse_critical", subject, element: <AbuseCriticalEmail incidents={incidents} appUrl={appUrl} /> };
}
