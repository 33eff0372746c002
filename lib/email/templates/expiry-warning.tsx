import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

interface DeviceExpiringProps {
  deviceName: string;
  expiresAt: Date;
  timeZone: string;
}

/** "Friday 3 April 2030, 14:00 (Europe/Paris)": in the account's zone, and saying which zone. */
export function formatExpiry(d: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone }).format(d);
  return `${text} (${timeZone})`;
}

function DeviceExpiringEmail({ deviceName, expiresAt, timeZone, appUrl }: DeviceExpiringProps & { appUrl: string }) {
  return (
    <EmailLayout preview={`${deviceName} stops connecting soon`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Your device <strong>{deviceName}</strong> expires on {formatExpiry(expiresAt, timeZone)}. After that it can no longer connect to
        SecureWave.
      </Text>
      <Text style={styles.text}>Still using it? Open your devices and extend it with one click: its configuration stays the same.</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={`${appUrl.replace(/\/+$/, "")}/devices`} style={styles.button}>
          Open your devices
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function deviceExpiringEmail(p: DeviceExpiringProps): EmailTemplate {
  return { name: "device_expiring", subject: `${p.deviceName} expires soon`, element: <DeviceExpiringEmail {...p} appUrl={getEnv().APP_URL} /> };
}
