import "server-only";
import { Button, Link, Section, Text } from "@react-email/components";
import { getEnv } from "@/lib/env";
import type { EmailTemplate } from "../render";
import { EmailLayout, styles } from "./layout";

/** What changed on the account; each says what the owner should do if it was not them. */
export type SecurityEvent = "password_changed" | "password_reset" | "two_factor_enabled" | "two_factor_disabled" | "two_factor_reset";

const EVENTS: Record<SecurityEvent, { subject: string; text: string }> = {
  password_changed: {
    subject: "Your SecureWave password was changed",
    text: "The password of your SecureWave account was changed, and every other browser was signed out.",
  },
  password_reset: {
    subject: "Your SecureWave password was reset",
    text: "The password of your SecureWave account was reset with a link sent to this address, and every browser was signed out.",
  },
  two_factor_enabled: {
    subject: "Two-factor sign-in is on",
    text: "Two-factor sign-in is now on for your SecureWave account: signing in takes a code from your authenticator app.",
  },
  two_factor_disabled: {
    subject: "Two-factor sign-in is off",
    text: "Two-factor sign-in was turned off for your SecureWave account: signing in takes your password only.",
  },
  two_factor_reset: {
    subject: "An administrator turned two-factor sign-in off",
    text: "A SecureWave administrator turned two-factor sign-in off for your account, usually because you lost your authenticator. Set it up again in Settings.",
  },
};

function SecurityNoticeEmail({ event, settingsUrl, forgotUrl }: { event: SecurityEvent; settingsUrl: string; forgotUrl: string }) {
  return (
    <EmailLayout preview={EVENTS[event].subject}>
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>{EVENTS[event].text}</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={settingsUrl} style={styles.button}>
          Review your settings
        </Button>
      </Section>
      <Text style={styles.text}>
        If this was not you, <Link href={forgotUrl} style={styles.link}>reset your password</Link> now and contact support.
      </Text>
    </EmailLayout>
  );
}

/** A notice to the owner after a change to how the account signs in. */
export function securityNoticeEmail(event: SecurityEvent, appUrl = getEnv().APP_URL): EmailTemplate {
  const base = appUrl.replace(/\/+$/, "");
  return {
    name: `security_${event}`,
    subject: EVENTS[event].subject,
    element: <SecurityNoticeEmail event={event} settingsUrl={`${base}/settings`} forgotUrl={`${base}/forgot-password`} />,
  };
}

function AccountExistsEmail({ signInUrl, forgotUrl }: { signInUrl: string; forgotUrl: string }) {
  return (
    <EmailLayout preview="You already have a SecureWave account">
      <Text style={styles.text}>Hi,</Text>
      <Text style={styles.text}>
        Someone tried to create a SecureWave account with this address, which already has one. If it was you,{" "}
        <Link href={signInUrl} style={styles.link}>sign in</Link>, or <Link href={forgotUrl} style={styles.link}>reset your password</Link> if you forgot it.
      </Text>
      <Text style={styles.text}>If it was not you, you can ignore this email: nothing changed.</Text>
    </EmailLayout>
  );
}

/** Sign-up with a taken address under SIGNUP_MODE=verify: the page says the same as for a new address; the owner learns of it here. */
export function accountExistsEmail(appUrl = getEnv().APP_URL): EmailTemplate {
  const base = appUrl.replace(/\/+$/, "");
  return { name: "account_exists", subject: "You already have a SecureWave account", element: <AccountExistsEmail signInUrl={`${base}/sign-in`} forgotUrl={`${base}/forgot-password`} /> };
}
