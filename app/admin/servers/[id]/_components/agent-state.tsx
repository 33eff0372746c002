import type { ReactNode } from "react";
import type { AdminServerDetailDto } from "@/lib/dal/servers";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { STATE_LABELS, STATE_TONES, serverState } from "../../_components/labels";

/**
 * Whether the agent runs the server's current config: every change (a device
 * added, rotated or revoked, a setting) bumps the config version; the agent
 * reports the config live on its interface with each stats push.
 */
export function configState(s: Pick<AdminServerDetailDto, "configVersion" | "appliedConfigVersion">): { label: string; tone: "success" | "warning" | "neutral"; detail: string } {
  if (s.appliedConfigVersion === null) {
    return { label: "Not applied yet", tone: "neutral", detail: `Current version ${s.configVersion}; the agent has not confirmed applying any version yet.` };
  }
  const behind = s.configVersion - s.appliedConfigVersion;
  if (behind <= 0) return { label: "Up to date", tone: "success", detail: `Version ${s.configVersion} is applied on the server.` };
  return {
    label: `${behind} ${behind === 1 ? "change" : "changes"} pending`,
    tone: "warning",
    detail: `Version ${s.appliedConfigVersion} is applied; the current one is ${s.configVersion}. The agent applies it at its next pull (once a minute).`,
  };
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1 border-b border-slate-100 py-2 last:border-b-0 sm:grid-cols-[12rem_1fr] dark:border-slate-800" data-testid={testId}>
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

export function AgentState({ server, now }: { server: AdminServerDetailDto; now: number }) {
  const state = serverState(server);
  const config = configState(server);
  return (
    <dl data-testid="agent-state">
      <Row label="Agent">
        <Badge tone={STATE_TONES[state]}>{STATE_LABELS[state]}</Badge>
      </Row>
      <Row label="Last heartbeat" testId="agent-heartbeat">
        {server.lastHeartbeatAt ? (
          <>
            <RelativeTime value={server.lastHeartbeatAt} now={now} /> <span className="text-slate-600 dark:text-slate-400">(<DateTime value={server.lastHeartbeatAt} />)</span>
          </>
        ) : (
          <span className="text-slate-600 dark:text-slate-400">Never: no stats push has arrived from this server.</span>
        )}
      </Row>
      <Row label="Last config pull">
        {server.lastConfigPullAt ? <RelativeTime value={server.lastConfigPullAt} now={now} /> : <span className="text-slate-600 dark:text-slate-400">Never</span>}
      </Row>
      <Row label="Config version" testId="agent-config">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={config.tone}>{config.label}</Badge>
          <span className="text-slate-700 dark:text-slate-300">{config.detail}</span>
        </div>
      </Row>
      <Row label="MTU" testId="agent-mtu">
        <span className="tabular-nums">{server.mtu}</span> <span className="text-slate-600 dark:text-slate-400">bytes, on the interface and in every client config</span>
      </Row>
      <Row label="DNS for clients">{server.dns || <span className="text-slate-600 dark:text-slate-400">None pushed</span>}</Row>
      <Row label="Address pools">
        <code className="font-mono text-xs [overflow-wrap:anywhere]">{server.ipv4Pool}</code>
        <span className="text-slate-600 dark:text-slate-400"> · </span>
        <code className="font-mono text-xs [overflow-wrap:anywhere]">{server.ipv6Pool}</code>
      </Row>
      <Row label="Server public key">
        <code className="font-mono text-xs [overflow-wrap:anywhere]">{server.publicKey}</code>
      </Row>
      <Row label="Agent token">
        {server.agentTokenPrefix ? <code className="font-mono text-xs">{server.agentTokenPrefix}…</code> : <span className="text-slate-600 dark:text-slate-400">None</span>}
      </Row>
    </dl>
  );
}
