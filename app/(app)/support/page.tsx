import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Support" };

export default async function Page() {
  await requireUser();
  return (
    <>
      <PageHeader title="Support" description="Ask our support team for help with your VPN." />
      <Card>
        <EmptyState title="Your tickets will appear here">Your support tickets will be listed here with their status and replies. Opening tickets is not available yet.</EmptyState>
      </Card>
    </>
  );
}
