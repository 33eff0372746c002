import { parsePool, serverAddress } from "@/lib/wireguard/addresses";
import { CodeSnippet } from "./code-snippet";

/** The server's own address in each of its pools, with the pool's prefix: what `ip address add` on wg0 takes. */
export function poolInterfaceAddresses(pools: string[]): string[] {
  return pools.filter(Boolean).map((pool) => `${serverAddress(pool)}/${parsePool(pool).prefix}`);
}

/**
 * The commands that install the agent on a VPN server (README, "Running the
 * agent on a VPN server"), with the app's URL and the server's addresses
 * filled in, and its token when it was just issued (else a placeholder).
 */
export function AgentInstall({ appUrl, agentToken, interfaceAddresses, testId = "agent-install" }: { appUrl: string; agentToken: string; interfaceAddresses: string[]; testId?: string }) {
  const code = [
    "# From a checkout of this repository, on the VPN server (as root):",
    "install -m 755 agent/securewave-agent.sh /usr/local/bin/securewave-agent.sh",
    "install -m 644 agent/securewave-agent.service /etc/systemd/system/",
    "mkdir -p /etc/securewave && cat > /etc/securewave/agent.env <<'ENV'",
    `SECUREWAVE_URL=${appUrl}`,
    `SECUREWAVE_TOKEN=${agentToken}`,
    "WG_INTERFACE=wg0",
    "ENV",
    "chmod 600 /etc/securewave/agent.env",
    "# The WireGuard interface, with the server's own address in each pool:",
    "ip link add wg0 type wireguard            # or: wireguard-go wg0",
    ...interfaceAddresses.map((a) => `ip address add ${a} dev wg0`),
    "ip link set wg0 up",
    "systemctl daemon-reload && systemctl enable --now securewave-agent",
  ].join("\n");
  return (
    <div className="mt-4 space-y-2 text-slate-800 dark:text-slate-200">
      <CodeSnippet label="Install the agent on the server" code={code} testId={testId} />
      <p className="text-xs">
        <code className="font-mono">agent/securewave-agent.sh</code> and <code className="font-mono">agent/securewave-agent.service</code> come from this
        repository. The agent needs <code className="font-mono">wg</code> (wireguard-tools) and <code className="font-mono">curl</code>; it pulls its
        config every minute and reports peer statistics. The server turns healthy here after its first report.
      </p>
    </div>
  );
}

/** After a token rotation: swap the token in the agent's environment file and restart it. */
export function AgentTokenUpdate({ agentToken }: { agentToken: string }) {
  const code = [
    `sed -i 's/^SECUREWAVE_TOKEN=.*/SECUREWAVE_TOKEN=${agentToken}/' /etc/securewave/agent.env`,
    "systemctl restart securewave-agent",
  ].join("\n");
  return (
    <div className="mt-4 text-slate-800 dark:text-slate-200">
      <CodeSnippet label="Update the agent on the server (as root)" code={code} testId="agent-token-update" />
    </div>
  );
}
