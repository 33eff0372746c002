import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";
import { getAccountState } from "@/lib/dal/account-state";
import { AppShell } from "@/components/nav/app-shell";
import { VerifyEmailBanner } from "./_components/verify-email-banner";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <AppShell user={user} accountState={await getAccountState(user.id)}>
      <VerifyEmailBanner user={user} />
      {children}
    </AppShell>
  );
}
