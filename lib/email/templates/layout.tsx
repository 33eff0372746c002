import "server-only";
import type { ReactNode } from "react";
import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";

/** Shared frame of every SecureWave email; inline styles because mail clients ignore stylesheets. */
export const styles = {
  text: { color: "#1f2937", fontSize: "15px", lineHeight: "24px" },
  link: { color: "#2563eb", textDecoration: "underline" },
  button: {
    backgroundColor: "#2563eb",
    borderRadius: "6px",
    color: "#ffffff",
    fontSize: "15px",
    padding: "10px 18px",
    textDecoration: "none",
  },
} as const;

export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f3f4f6", fontFamily: "system-ui, -apple-system, Segoe UI, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", margin: "24px auto", maxWidth: "560px", padding: "32px" }}>
          <Heading as="h1" style={{ color: "#111827", fontSize: "20px", margin: "0 0 24px" }}>
            SecureWave
          </Heading>
          <Section>{children}</Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "32px 0 16px" }} />
          <Text style={{ color: "#6b7280", fontSize: "12px", lineHeight: "18px" }}>
            SecureWave VPN · You receive this email because of your SecureWave account.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
