import Link from "next/link";
import type { AdminDashboard } from "./types";
import { DonutChart } from "@/components/charts/charts";
import { MetricRow } from "@/components/charts/metric";
import { ProgressBar } from "@/components/charts/progress-bar";
import { formatCount, formatPercent } from "@/components/charts/format";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, Td, Th } from "@/components/ui/table";
import { STATE_LABELS, STATE_TONES, serverState, type ServerState } from "../servers/_components/labels";
import { AreaLink, ChartCard } from "./chart-card";
import type { Snapshot } from "./snapshot";

/** Server health now (from each agent's last heartbeat), and each server's load as a share of its pool. */
export function ServersCard({ servers, latest }: { servers: AdminDashboard["servers"]; latest: Snapshot | null }) {
  const states = servers.map((s) => ({ ...s, state: serverState(s) }));
  const count = (s: ServerState) => states.filter((x) => x.state === s).length;
  const avgLoad = servers.length ? servers.reduce((a, s) => a + s.load, 0) / servers.length : (latest?.avgServerLoad ?? 0);
  return (
    <ChartCard
      testId="dashboard-servers"
      title="Server health"
      description="Healthy: the agent pushed stats in the last 3 minutes; degraded: in the last 10; offline: longer ago. A server no agent has reached yet is waiting for its agent. Load is the share of a server's address pool in use."
      chart={
        servers.length ? (
          <DonutChart
            testId="chart-server-health"
            label="Servers by health"
            centerLabel="servers"
            slices={[
              { name: "Healthy", value: count("healthy"), color: 3 },
              { name: "Degraded", value: count("degraded"), color: 4 },
              { name: "Offline", value: count("offline"), color: 5 },
              { name: "Waiting for its agent", value: count("waiting"), color: 1 },
            ]}
          />
        ) : (
          <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">
            No servers yet. <Link href="/admin/servers" className="underline">Add one</Link>.
          </p>
        )
      }
      figures={
        <>
          <MetricRow id="healthyServers" label="Healthy" value={formatCount(count("healthy"))} />
          <MetricRow id="degradedServers" label="Degraded" value={formatCount(count("degraded"))} />
          <MetricRow id="offlineServers" label="Offline" value={formatCount(count("offline"))} />
          <MetricRow id="waitingServers" label="Waiting for their agent" value={formatCount(count("waiting"))} />
          <MetricRow id="avgServerLoad" label="Average load" value={formatPercent(avgLoad / 100)} />
        </>
      }
      links={<AreaLink href="/admin/servers">Servers</AreaLink>}
      footer={
        servers.length ? (
          <Table label="Servers and their load" className="border-t border-slate-200 dark:border-slate-800">
            <thead>
              <tr>
                <Th>Server</Th>
                <Th>Region</Th>
                <Th>Health</Th>
                <Th>Load (pool used)</Th>
                <Th className="text-right">Active peers</Th>
                <Th>Last heartbeat</Th>
              </tr>
            </thead>
            <tbody>
              {states.map((s) => (
                <tr key={s.id} data-testid="dashboard-server-row" data-state={s.state}>
                  <Td className="font-medium">
                    <Link href={`/admin/servers/${encodeURIComponent(s.id)}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                      {s.name}
                    </Link>
                  </Td>
                  <Td>{s.region}</Td>
                  <Td>
                    <Badge tone={STATE_TONES[s.state]}>{STATE_LABELS[s.state]}</Badge>
                  </Td>
                  <Td>
                    <div className="flex min-w-32 items-center gap-2">
                      <span className="w-14 shrink-0 tabular-nums">{formatPercent(s.load / 100)}</span>
                      <ProgressBar value={s.load} max={100} label={`Load of ${s.name}`} />
                    </div>
                  </Td>
                  <Td className="text-right tabular-nums">{formatCount(s.activePeers)}</Td>
                  <Td>
                    <DateTime value={s.lastHeartbeatAt} fallback="Never" />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null
      }
    />
  );
}
