import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requirePermission } from "@/lib/auth/session";
import { getAccountState } from "@/lib/dal/account-state";
import { AppShell } from "@/components/nav/app-shell";
import { ADMIN_ITEMS } from "@/components/nav/nav-items";
import { SubNav } from "./_components/sub-nav";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · SecureWave" } };

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePermission("admin.view");
  return (
    <AppShell user={user} accountState={await getAccountState(user.id)} subNav={<SubNav label="Admin" items={ADMIN_ITEMS} testId="admin-nav" />}>
      {children}
    </AppShell>
  );
}
