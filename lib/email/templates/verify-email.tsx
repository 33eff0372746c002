import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

function VerifyEmail({ name, url, hours }: { name: string | null; url: string; hours: number }) {
  return (
    <EmailLayout preview="Confirm your email address for SecureWave">
      <Text style={styles.text}>{name ? `Hi ${name},` : "Hi,"}</Text>
      <Text style={styles.text}>
        Welcome to SecureWave! Confirm that this address is yours and you can add your devices. The link works once,
        for {hours} hours.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Confirm my email address
        </Button>
      </Section>
      <Text style={styles.text}>
        Or open this address: <Link href={url} style={styles.link}>{url}</Link>
      </Text>
      <Text style={styles.text}>If you did not create a SecureWave account, you can ignore this email.</Text>
    </EmailLayout>
  );
}

/** The address verification link of SIGNUP_MODE=verify. */
export function verifyEmailEmail(p: { name: string | null; token: string; hours: number; appUrl?: string }): EmailTemplate {
  const url = `${(p.appUrl ?? getEnv().APP_URL).replace(/\/+$/, "")}/verify-email/${p.token}`;
  return { name: "verify_email", subject: "Confirm your email address", element: <VerifyEmail name={p.name} url={url} hours={p.hours} /> };
}
