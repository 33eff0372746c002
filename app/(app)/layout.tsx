import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";
import { AppShell } from "@/components/nav/app-shell";
import { VerifyEmailBanner } from "./_components/verify-email-banner";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <AppShell user={user}>
      <VerifyEmailBanner user={user} />
      {children}
    </AppShell>
  );
}
