import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { listPeers } from "@/lib/services/peers";
import { listServersForUser } from "@/lib/dal/servers";
import { getQuotaSummary } from "@/lib/dal/quota-summary";
import { getDeviceAllowance } from "@/lib/dal/plans";
import { PageHeader } from "@/components/ui/page-header";
import { DeviceAllowance } from "./_components/device-allowance";
import { DeviceList } from "./_components/device-list";
import { QuotaLine } from "./_components/quota-line";
import { packPeerPage } from "./_components/peer-pack";

export const metadata: Metadata = { title: "Devices" };

/** The user's devices and the servers they may add one to; `renderedAt` anchors "2 minutes ago" identically on server and client. */
async function loadDevicesPage(user: UserActor) {
  const [page, servers, quota, allowance] = await Promise.all([listPeers(user), listServersForUser(user), getQuotaSummary(user), getDeviceAllowance(user)]);
  return { page: packPeerPage(page), servers, quota, allowance, renderedAt: Date.now() };
}

export default async function DevicesPage() {
  const user = await requireUser();
  const { page, servers, quota, allowance, renderedAt } = await loadDevicesPage(user);
  return (
    <>
      <PageHeader
        title="Devices"
        description="Your WireGuard devices: one configuration per phone, computer or router. Scan its QR code or download its file in the WireGuard app."
        actions={<DeviceAllowance servers={servers} limit={allowance.limit} planName={allowance.planName} initialPage={page} renderedAt={renderedAt} suspended={user.status === "suspended"} />}
      />
      <QuotaLine quota={quota} />
      <DeviceList initialPage={page} servers={servers} renderedAt={renderedAt} />
    </>
  );
}
