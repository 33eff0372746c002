import "server-only";
import { Button, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import { renderSlotted, type EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

const devicesUrl = (appUrl: string) => `${appUrl.replace(/\/+$/, "")}/devices`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function KeyRotatedEmail({ deviceName, graceUntil, appUrl }: { deviceName: string; graceUntil: Date; appUrl: string }) {
  return (
    <EmailLayout preview={`A new configuration for ${deviceName} is ready`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        As part of regular key rotation, your device <strong>{deviceName}</strong> has a new WireGuard key. Your current
        configuration keeps working until {day(graceUntil)} or until the new one connects, whichever comes first.
      </Text>
      <Text style={styles.text}>Open your devices, then scan the new QR code or download the new configuration on {deviceName}.</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={devicesUrl(appUrl)} style={styles.button}>
          Get the new configuration
        </Button>
      </Section>
    </EmailLayout>
  );
}

function RotationReminderEmail({ deviceName, appUrl }: { deviceName: string; appUrl: string }) {
  return (
    <EmailLayout preview={`Time to rotate the key of ${deviceName}`}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        The key of <strong>{deviceName}</strong> is due for rotation. This device keeps its private key to itself, so we
        cannot rotate it for you: open your devices and press “Rotate now” in the browser you created it with, or send a
        new public key from your WireGuard app.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={devicesUrl(appUrl)} style={styles.button}>
          Rotate the key
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function keyRotatedEmail(p: { deviceName: string; graceUntil: Date }): EmailTemplate {
  const appUrl = getEnv().APP_URL;
  return { name: "key_rotated", subject: `New configuration ready for ${p.deviceName}`, element: <KeyRotatedEmail {...p} appUrl={appUrl} /> };
}

/**
 * The same email as keyRotatedEmail, with its rendering done once per shape
 * of device name for a whole batch (lib/email/render renderSlotted): the
 * daily rotation sends thousands of them.
 */
export function keyRotatedEmailFast(p: { deviceName: string; graceUntil: Date }): Promise<EmailTemplate> {
  const appUrl = getEnv().APP_URL;
  return renderSlotted((v) => keyRotatedEmail({ deviceName: v.deviceName, graceUntil: p.graceUntil }), { deviceName: p.deviceName }, `${appUrl}|${day(p.graceUntil)}`);
}

export function rotationReminderEmail(p: { deviceName: string }): EmailTemplate {
  const appUrl = getEnv().APP_URL;
  return { name: "rotation_reminder", subject: `Time to rotate the key of ${p.deviceName}`, element: <RotationReminderEmail {...p} appUrl={appUrl} /> };
}
