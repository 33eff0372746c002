import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import { formatBytes } from "@/lib/format/bytes";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

interface QuotaEmailProps {
  usedBytes: number;
  allowanceBytes: number;
  /** The start of the next month in the account's time zone: when the allowance renews. */
  resetsAt: Date;
  timeZone: string;
}


/** "1 April 2030" in the account's own time zone (the reset is local midnight there). */
export function formatResetDay(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(d);
}

const link = (appUrl: string, path: string) => `${appUrl.replace(/\/+$/, "")}${path}`;

function QuotaWarningEmail({ usedBytes, allowanceBytes, resetsAt, timeZone, appUrl }: QuotaEmailProps & { appUrl: string }) {
  const percent = Math.floor((usedBytes / allowanceBytes) * 100);
  return (
    <EmailLayout preview={`You have used ${percent} % of this month's data`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Your devices have used <strong>{formatBytes(usedBytes)}</strong> of your plan&apos;s {formatBytes(allowanceBytes)} this month ({percent} %). When
        the allowance is used up, your devices pause until {formatResetDay(resetsAt, timeZone)}, when it renews.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={link(appUrl, "/usage")} style={styles.button}>
          See your usage
        </Button>
      </Section>
    </EmailLayout>
  );
}

function QuotaExceededEmail({ usedBytes, allowanceBytes, resetsAt, timeZone, appUrl }: QuotaEmailProps & { appUrl: string }) {
  const day = formatResetDay(resetsAt, timeZone);
  return (
    <EmailLayout preview={`Your devices are paused until ${day}`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Your devices have used this month&apos;s data allowance ({formatBytes(usedBytes)} of {formatBytes(allowanceBytes)}), so they are paused: they
        cannot connect to SecureWave until the allowance renews on <strong>{day}</strong>.
      </Text>
      <Text style={styles.text}>Need them sooner? A plan with a larger allowance lifts the pause at once: contact support.</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={link(appUrl, "/usage")} style={styles.button}>
          See your usage
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function quotaWarningEmail(p: QuotaEmailProps): EmailTemplate {
  const percent = Math.floor((p.usedBytes / p.allowanceBytes) * 100);
  return { name: "quota_warning", subject: `You have used ${percent} % of this month's data`, element: <QuotaWarningEmail {...p} appUrl={getEnv().APP_URL} /> };
}

export function quotaExceededEmail(p: QuotaEmailProps): EmailTemplate {
  return {
    name: "quota_exceeded",
    subject: `Data allowance used up: your devices are paused until ${formatResetDay(p.resetsAt, p.timeZone)}`,
    element: <QuotaExceededEmail {...p} appUrl={getEnv().APP_URL} />,
  };
}
