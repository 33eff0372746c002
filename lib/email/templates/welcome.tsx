import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

export interface WelcomeProps {
  name: string | null;
  appUrl: string;
}

export function WelcomeEmail({ name, appUrl }: WelcomeProps) {
  const devicesUrl = `${appUrl.replace(/\/+$/, "")}/devices`;
  return (
    <EmailLayout preview="Your SecureWave account is ready">
      <Text style={styles.text}>{name ? `Hi ${name},` : "Hi,"}</Text>
      <Text style={styles.text}>Welcome to SecureWave! Your account is ready. Three steps to get online:</Text>
      <Text style={styles.text}>
        1. Open <Link href={devicesUrl} style={styles.link}>your devices</Link> and add a device (laptop, phone…).
        <br />
        2. Download its WireGuard configuration, or scan the QR code with the WireGuard app on your phone.
        <br />
        3. Import it into WireGuard and switch the tunnel on — you are protected.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={devicesUrl} style={styles.button}>
          Add your first device
        </Button>
      </Section>
      <Text style={styles.text}>If you did not create this account, you can ignore this email.</Text>
    </EmailLayout>
  );
}

/** The welcome email sent after sign-up. */
export function welcomeEmail(props: { name: string | null; appUrl?: string }): EmailTemplate {
  const appUrl = props.appUrl ?? getEnv().APP_URL;
  return { name: "welcome", subject: "Welcome to SecureWave", element: <WelcomeEmail name={props.name} appUrl={appUrl} /> };
}
