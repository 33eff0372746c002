import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  await requireRole("admin");
  return (
    <>
      <PageHeader title="Dashboard" description="The health of the service at a glance." />
      <Card>
        <EmptyState title="Dashboard charts will appear here">Charts of active users, connections, bandwidth, server health, revenue, tickets and abuse incidents will appear here once system metrics are collected. The dashboard is not available yet.</EmptyState>
      </Card>
    </>
  );
}
