import type { ReactNode } from "react";
import { requireRole } from "@/lib/auth/session";
import { AppShell } from "@/components/nav/app-shell";

export default async function AgentLayout({ children }: { children: ReactNode }) {
  const user = await requireRole("agent", "admin");
  return <AppShell user={user}>{children}</AppShell>;
}
