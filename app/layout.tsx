import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { QueryProvider } from "@/components/providers/query-provider";
import { TimeZoneProvider } from "@/components/ui/time-zone";
import { TIME_ZONE_COOKIE, validTimeZone } from "@/lib/format/time-zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "SecureWave", template: "%s · SecureWave" },
  description: "Manage your SecureWave WireGuard VPN devices, usage and support.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const zone = validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  return (
    <html lang="en">
      <body>
        <TimeZoneProvider initial={zone}>
          <QueryProvider>{children}</QueryProvider>
        </TimeZoneProvider>
      </body>
    </html>
  );
}
