import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { formatRate, INCIDENT_TYPE_WORDS } from "@/lib/abuse/throttle";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

export interface AbuseWarningProps {
  incidentType: string;
  description: string;
  detectedAt: Date;
  /** The admin's own words, if any. */
  note: string | null;
  /** A throttle in force on the account's devices when the warning goes out. */
  throttle: { rateKbit: number; until: Date } | null;
  /** The account's time zone (users.time_zone, checked: safeTimeZone), as the expiry and quota emails use. */
  timeZone: string;
}

/** "Friday 3 April 2030, 14:00 (Europe/Paris)": in the account's zone, and saying which zone (UTC for a zone the platform does not know). */
export function formatWarningTime(d: Date, timeZone: string): string {
  let zone = timeZone || "UTC";
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone: zone });
  } catch {
    zone = "UTC";
    format = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone: zone });
  }
  return `${format.format(d)} (${zone})`;
}

function AbuseWarningEmail({ incidentType, description, detectedAt, note, throttle, timeZone, appUrl }: AbuseWarningProps & { appUrl: string }) {
  const when = (d: Date) => formatWarningTime(d, timeZone);
  const base = appUrl.replace(/\/+$/, "");
  const seen = INCIDENT_TYPE_WORDS[incidentType] ?? incidentType.replace(/_/g, " ");
  return (
    <EmailLayout preview="A warning about how your SecureWave account is being used">
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        <strong>What we saw.</strong> On {when(detectedAt)} we recorded {seen} on your account: {description}
      </Text>
      {note ? (
        <Text style={styles.text}>
          <strong>From our team:</strong> {note}
        </Text>
      ) : null}
      {throttle ? (
        <Text style={styles.text}>
          <strong>In effect now.</strong> Your devices are limited to {formatRate(throttle.rateKbit)} until {when(throttle.until)}. They keep
          working, only more slowly, and return to full speed by themselves after that.
        </Text>
      ) : null}
      <Text style={styles.text}>
        <strong>What happens next.</strong> Nothing, if it stops: this is a warning, and your account stays as it is. If it goes on, we may limit
        the speed of your devices for a while or suspend the account. If you think this is a mistake, or there is an explanation (a new device,
        a shared household), reply through a support ticket and we will look at it.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={`${base}/support`} style={styles.button}>
          Contact support
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** To the account holder when an admin sends an incident's warning (POST /api/admin/abuse/:id/warn). */
export function abuseWarningEmail(p: AbuseWarningProps): EmailTemplate {
  return {
    name: "abuse_warning",
    subject: "Warning: unusual activity on your SecureWave account",
    element: <AbuseWarningEmail {...p} appUrl={getEnv().APP_URL} />,
  };
}
