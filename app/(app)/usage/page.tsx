import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Usage" };

export default async function Page() {
  await requireUser();
  return (
    <>
      <PageHeader title="Usage" description="How much data your devices have sent and received." />
      <Card>
        <EmptyState title="Usage charts will appear here">This page will chart your daily upload and download and list your recent connection sessions. Usage reporting is not available yet.</EmptyState>
      </Card>
    </>
  );
}
