import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { listPeers } from "@/lib/services/peers";
import { listServersForUser } from "@/lib/dal/servers";
import { getQuotaSummary } from "@/lib/dal/quota-summary";
import { PageHeader } from "@/components/ui/page-header";
import { AddDeviceButton } from "./_components/add-device-dialog";
import { DeviceList } from "./_components/device-list";
import { QuotaLine } from "./_components/quota-line";

export const metadata: Metadata = { title: "Devices" };

/** The user's devices and the servers they may add one to; `renderedAt` anchors "2 minutes ago" identically on server and client. */
async function loadDevicesPage(user: UserActor) {
  const [peers, servers, quota] = await Promise.all([listPeers(user), listServersForUser(user), getQuotaSummary(user)]);
  return { peers, servers, quota, renderedAt: Date.now() };
}

export default async function DevicesPage() {
  const user = await requireUser();
  const { peers, servers, quota, renderedAt } = await loadDevicesPage(user);
  return (
    <>
      <PageHeader
        title="Devices"
        description="Your WireGuard devices: one configuration per phone, computer or router. Scan its QR code or download its file in the WireGuard app."
        actions={<AddDeviceButton servers={servers} />}
      />
      <QuotaLine quota={quota} />
      <DeviceList initialPeers={peers} servers={servers} renderedAt={renderedAt} />
    </>
  );
}
