import type { ReactNode } from "react";
import { requirePermission } from "@/lib/auth/session";
import { getAccountState } from "@/lib/dal/account-state";
import { AppShell } from "@/components/nav/app-shell";

export default async function AgentLayout({ children }: { children: ReactNode }) {
  const user = await requirePermission("support.work");
  return (
    <AppShell user={user} accountState={await getAccountState(user.id)}>
      {children}
    </AppShell>
  );
}
