import { AgentInstall } from "./agent-install";

/**
 * For a server no agent has reached yet: what to run on it. The token is not
 * stored in clear, so it cannot be shown again: it was shown once when the
 * server was created, and rotating it issues a new one.
 */
export function ConnectAgent({ appUrl, addresses }: { appUrl: string; addresses: string[] }) {
  return (
    <div className="space-y-3 text-sm" data-testid="connect-agent">
      <p>
        No agent has reported from this server yet. Until one does, the server carries no traffic: install the agent on the VPN server (Linux with{" "}
        <code className="font-mono">wireguard-tools</code> and <code className="font-mono">curl</code>), as root:
      </p>
      <AgentInstall appUrl={appUrl} agentToken="swa_…" interfaceAddresses={addresses} testId="connect-agent-commands" />
      <p className="text-xs text-slate-700 dark:text-slate-300">
        Replace <code className="font-mono">swa_…</code> with the agent token that was shown once when the server was created. Lost it? Choose{" "}
        <strong className="font-semibold">Rotate agent token</strong> in this server&apos;s actions: the new token is shown once, and the old one stops working.
      </p>
    </div>
  );
}
