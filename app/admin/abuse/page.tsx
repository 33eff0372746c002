import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Abuse" };

export default async function Page() {
  await requireRole("admin");
  return (
    <>
      <PageHeader title="Abuse incidents" description="Incidents raised by the abuse detectors." />
      <Card>
        <EmptyState title="Abuse incidents will appear here">Incidents such as excessive bandwidth, rapid reconnects, concurrent connections, suspicious traffic patterns and account sharing will be listed here for review. Abuse detection is not available yet.</EmptyState>
      </Card>
    </>
  );
}
