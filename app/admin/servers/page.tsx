import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Servers" };

export default async function Page() {
  await requireRole("admin");
  return (
    <>
      <PageHeader title="Servers" description="The VPN servers that carry your users' traffic." />
      <Card>
        <EmptyState title="VPN servers will appear here">VPN servers will be listed here with their region, endpoint, address pools, status and load, and the agent token each one uses to fetch its configuration. Server management is not available yet.</EmptyState>
      </Card>
    </>
  );
}
