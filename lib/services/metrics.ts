import "server-only";
import { sql } from "drizzle-orm";
import { Counter, Gauge, type Registry } from "prom-client";
import { getDb, rows } from "@/db/client";
import { EMAIL_STATUSES, INCIDENT_STATUSES, PEER_STATUSES, TICKET_PRIORITIES } from "@/db/schema";
import { eligiblePeerCondition } from "./config-eligibility";
import { unsealablePeersByServer } from "./server-config";

interface MetricSample {
  labels?: Record<string, string>;
  value: number;
}
interface MetricFamily {
  name: string;
  help: string;
  type: "counter" | "gauge";
  /** Declared, not read off the samples: a family may have none yet (no server has sent a heartbeat). */
  labelNames: string[];
  samples: MetricSample[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** One sample per known label value, zero when absent: a series that appears only once it is non-zero breaks rate() and alerts. */
function byLabel(label: string, known: readonly string[], found: { key: string; n: unknown }[]): MetricSample[] {
  const counts = new Map(found.map((r) => [r.key, num(r.n)]));
  const keys = [...known, ...[...counts.keys()].filter((k) => !known.includes(k)).sort()];
  return keys.map((k) => ({ labels: { [label]: k }, value: counts.get(k) ?? 0 }));
}

/**
 * GET /api/metrics, before each scrape: sets the database-derived gauges and
 * counters into `registry` (the process's, lib/metrics/registry). Each family
 * is replaced whole, so a series whose row is gone (a deleted server, a job
 * run now running) leaves with it. The "counters" are totals kept in the
 * database, set as they are, not counted by this process.
 */
export async function refreshDatabaseMetrics(registry: Registry, jobNames: readonly string[]): Promise<void> {
  for (const family of await collectMetrics(jobNames)) publish(registry, family);
}

/** Created on a registry's first scrape, found by name after (so a dev hot reload registers nothing twice). */
function publish(registry: Registry, f: MetricFamily): void {
  const existing = registry.getSingleMetric(f.name) as Gauge | Counter | undefined;
  const config = { name: f.name, help: f.help, labelNames: f.labelNames, registers: [registry] };
  if (f.type === "counter") {
    const counter = (existing as Counter | undefined) ?? new Counter(config);
    counter.reset();
    for (const s of f.samples) counter.inc(s.labels ?? {}, s.value);
  } else {
    const gauge = (existing as Gauge | undefined) ?? new Gauge(config);
    gauge.reset();
    for (const s of f.samples) gauge.set(s.labels ?? {}, s.value);
  }
}

/** Operator gauges and counters, each one set-based query over current state (no per-row work). `jobNames` zero-fills the job series. */
async function collectMetrics(jobNames: readonly string[]): Promise<MetricFamily[]> {
  const db = await getDb();
  const q = <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => rows<T>(db, query);
  const [peers, config, sessions, servers, jobs, tickets, breaches, abuse, outbox] = await Promise.all([
    q<{ key: string; n: unknown }>(sql`select status as key, count(*) as n from wireguard_peers group by status`),
    q<{ eligible: unknown; expired: unknown; blocked: unknown }>(
      sql`select (select count(*) from wireguard_peers p join users u on u.id = p.user_id where ${eligiblePeerCondition()}) as eligible,
            (select count(*) from wireguard_peers where status = 'active' and expires_at <= now()) as expired,
            (select count(*) from users where quota_blocked_until > now()) as blocked`,
    ),
    q<{ n: unknown }>(sql`select count(*) as n from connection_sessions where ended_at is null`),
    q<{ id: string; name: string; up: unknown; down: unknown; heartbeat: unknown }>(
      sql`select s.id, s.name, coalesce(sum(l.bytes_sent), 0) as up, coalesce(sum(l.bytes_received), 0) as down,
            extract(epoch from s.last_heartbeat_at) as heartbeat
          from vpn_servers s left join wireguard_peers p on p.server_id = s.id left join peer_live_stats l on l.peer_id = p.id
          group by s.id, s.name, s.last_heartbeat_at order by s.name`,
    ),
    q<{ job: string; failures: unknown; duration: unknown; success: unknown }>(
      sql`select r.job, count(*) filter (where r.status = 'failed') as failures,
            (select extract(epoch from l.finished_at - l.started_at) from job_runs l
             where l.job = r.job and l.finished_at is not null order by l.started_at desc limit 1) as duration,
            extract(epoch from max(r.finished_at) filter (where r.status = 'succeeded')) as success
          from job_runs r group by r.job`,
    ),
    q<{ key: string; n: unknown; breached: unknown }>(
      sql`select priority as key, count(*) as n, count(*) filter (where sla_breached or sla_response_breached) as breached
          from support_tickets where status not in ('resolved', 'closed') group by priority`,
    ),
    q<{ response: unknown; resolution: unknown }>(
      sql`select count(*) filter (where sla_response_breached) as response, count(*) filter (where sla_breached) as resolution from support_tickets`,
    ),
    q<{ key: string; n: unknown }>(sql`select status as key, count(*) as n from abuse_detection_logs group by status`),
    q<{ key: string; n: unknown }>(sql`select status as key, count(*) as n from email_outbox group by status`),
  ]);

  const jobByName = new Map(jobs.map((j) => [j.job, j]));
  const allJobs = [...new Set([...jobNames, ...jobByName.keys()])].sort();
  const finished = allJobs.filter((j) => jobByName.get(j)?.duration != null);
  const succeeded = allJobs.filter((j) => jobByName.get(j)?.success != null);
  const [c] = config;
  const unsealable = unsealablePeersByServer();

  return [
    { name: "securewave_peers", help: "WireGuard peers (devices) by status.", type: "gauge", labelNames: ["status"], samples: byLabel("status", PEER_STATUSES, peers) },
    { name: "securewave_peers_in_config", help: "Peers the server configs contain now (active device, active account, not expired, not over quota).", type: "gauge", labelNames: [], samples: [{ value: num(c?.eligible) }] },
    { name: "securewave_peers_expired", help: "Active peers past their expiry, left out of the server configs.", type: "gauge", labelNames: [], samples: [{ value: num(c?.expired) }] },
    { name: "securewave_users_quota_blocked", help: "Accounts over this month's data allowance, their devices paused.", type: "gauge", labelNames: [], samples: [{ value: num(c?.blocked) }] },
    { name: "securewave_active_sessions", help: "Open connection sessions (recent handshake).", type: "gauge", labelNames: [], samples: [{ value: num(sessions[0]?.n) }] },
    {
      name: "securewave_server_bytes_total",
      help: "Bytes through each VPN server, from its peers' transfer totals; up is what devices sent.",
      type: "counter",
      labelNames: ["server", "direction"],
      samples: servers.flatMap((s) => [
        { labels: { server: s.name, direction: "up" }, value: num(s.up) },
        { labels: { server: s.name, direction: "down" }, value: num(s.down) },
      ]),
    },
    {
      name: "securewave_server_last_heartbeat_timestamp_seconds",
      help: "Unix time of each server agent's last stats push (absent until the first).",
      type: "gauge",
      labelNames: ["server"],
      samples: servers.filter((s) => s.heartbeat != null).map((s) => ({ labels: { server: s.name }, value: num(s.heartbeat) })),
    },
    {
      name: "securewave_unsealable_peers",
      help: "Peers left out of each server's config because their preshared key does not open with the configured keys (as found by this instance's last build of that config; see the log line server_config.unsealable_peer).",
      type: "gauge",
      labelNames: ["server"],
      samples: servers.map((s) => ({ labels: { server: s.name }, value: unsealable.get(s.id)?.length ?? 0 })),
    },
    {
      name: "securewave_job_last_duration_seconds",
      help: "Duration of each background job's last finished run.",
      type: "gauge",
      labelNames: ["job"],
      samples: finished.map((j) => ({ labels: { job: j }, value: num(jobByName.get(j)!.duration) })),
    },
    {
      name: "securewave_job_last_success_timestamp_seconds",
      help: "Unix time each background job last finished successfully.",
      type: "gauge",
      labelNames: ["job"],
      samples: succeeded.map((j) => ({ labels: { job: j }, value: num(jobByName.get(j)!.success) })),
    },
    {
      name: "securewave_job_failures_total",
      help: "Failed runs of each background job (as kept in job_runs).",
      type: "counter",
      labelNames: ["job"],
      samples: allJobs.map((j) => ({ labels: { job: j }, value: num(jobByName.get(j)?.failures) })),
    },
    { name: "securewave_tickets_backlog", help: "Support tickets not yet resolved or closed, by priority.", type: "gauge", labelNames: ["priority"], samples: byLabel("priority", TICKET_PRIORITIES, tickets) },
    {
      name: "securewave_tickets_backlog_breached",
      help: "Open support tickets past a first-response or resolution SLA deadline, by priority.",
      type: "gauge",
      labelNames: ["priority"],
      samples: byLabel("priority", TICKET_PRIORITIES, tickets.map((t) => ({ key: t.key, n: t.breached }))),
    },
    {
      name: "securewave_ticket_sla_breaches_total",
      help: "Support tickets that breached an SLA deadline, by kind.",
      type: "counter",
      labelNames: ["kind"],
      samples: [
        { labels: { kind: "response" }, value: num(breaches[0]?.response) },
        { labels: { kind: "resolution" }, value: num(breaches[0]?.resolution) },
      ],
    },
    { name: "securewave_abuse_incidents", help: "Abuse incidents by status.", type: "gauge", labelNames: ["status"], samples: byLabel("status", INCIDENT_STATUSES, abuse) },
    { name: "securewave_email_outbox", help: "Emails in the outbox by delivery status.", type: "gauge", labelNames: ["status"], samples: byLabel("status", EMAIL_STATUSES, outbox) },
  ];
}
