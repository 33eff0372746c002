import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

function PasswordResetEmail({ url, minutes }: { url: string; minutes: number }) {
  return (
    <EmailLayout preview="Choose a new SecureWave password">
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Someone asked to reset the password of your SecureWave account. If it was you, choose a new password with the
        button below. The link works once, for {minutes} minutes, and signs you out everywhere.
      </Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Choose a new password
        </Button>
      </Section>
      <Text style={styles.text}>
        Or open this address: <Link href={url} style={styles.link}>{url}</Link>
      </Text>
      <Text style={styles.text}>If you did not ask for this, ignore this email: your password stays as it is.</Text>
    </EmailLayout>
  );
}

/** The password reset link (POST /api/auth/password-reset, /forgot-password). */
export function passwordResetEmail(p: { token: string; minutes: number; appUrl?: string }): EmailTemplate {
  const url = `${(p.appUrl ?? getEnv().APP_URL).replace(/\/+$/, "")}/reset-password/${p.token}`;
  return { name: "password_reset", subject: "Reset your SecureWave password", element: <PasswordResetEmail url={url} minutes={p.minutes} /> };
}
