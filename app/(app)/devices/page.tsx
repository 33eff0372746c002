import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Devices" };

export default async function Page() {
  await requireUser();
  return (
    <>
      <PageHeader title="Devices" description="Your WireGuard devices: one configuration per phone, laptop or router." />
      <Card>
        <EmptyState title="Your devices will appear here">Devices you add will be listed here, each with its QR code for the WireGuard app, a downloadable .conf file, and buttons to rotate or revoke its keys. Adding devices is not available yet.</EmptyState>
      </Card>
    </>
  );
}
