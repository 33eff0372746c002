import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { listServersForAdmin } from "@/lib/dal/servers";
import { defaultIpv4Pool } from "@/lib/services/servers";
import { unsealablePeerCounts } from "@/lib/services/server-config";
import { randomUlaPool } from "@/lib/wireguard/addresses";
import { getEnv } from "@/lib/env";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { UnsealablePeersNotice } from "./_components/unsealable-peers-notice";
import { AddServerDialog } from "./_components/add-server-dialog";
import { ServersTable } from "./_components/servers-table";

export const metadata: Metadata = { title: "Servers" };

/**
 * The servers, the new-server defaults (a fresh random ULA /64 each time) and
 * `renderedAt`, which anchors "2 min ago" for the whole page.
 */
async function loadServersPage(admin: UserActor) {
  const servers = await listServersForAdmin(admin);
  const unsealable = await unsealablePeerCounts(servers.map((s) => s.id));
  const env = getEnv();
  return {
    servers,
    unsealable: servers.filter((s) => unsealable.has(s.id)).map((s) => ({ id: s.id, name: s.name, count: unsealable.get(s.id)! })),
    defaults: { ipv4Pool: defaultIpv4Pool(), ipv6Pool: randomUlaPool(), dns: env.DEFAULT_DNS },
    appUrl: env.APP_URL,
    renderedAt: Date.now(),
  };
}

export default async function AdminServersPage() {
  const admin = await requirePermission("servers.manage");
  const { servers, unsealable, defaults, appUrl, renderedAt } = await loadServersPage(admin);
  return (
    <>
      <PageHeader
        title="Servers"
        description="The VPN servers that carry your users' traffic. Each runs the SecureWave agent, which pulls its WireGuard config and reports every minute."
        actions={<AddServerDialog defaults={defaults} appUrl={appUrl} />}
      />
      <UnsealablePeersNotice servers={unsealable} />
      <Card>
        {servers.length === 0 ? (
          <EmptyState title="No servers yet">Add a server, then install the agent on it with the token shown once after creation.</EmptyState>
        ) : (
          <ServersTable servers={servers} now={renderedAt} appUrl={appUrl} />
        )}
      </Card>
    </>
  );
}
