import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Ticket queue" };

export default async function Page() {
  await requireRole("agent", "admin");
  return (
    <>
      <PageHeader title="Ticket queue" description="Support tickets waiting for the team, with their SLA deadlines." />
      <Card>
        <EmptyState title="The ticket queue will appear here">Open tickets will appear here, sorted by SLA urgency, with assignment, replies, internal notes and the requester&apos;s VPN diagnostics. The queue is not available yet.</EmptyState>
      </Card>
    </>
  );
}
