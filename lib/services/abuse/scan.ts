import "server-only";
import { analyticsTransaction } from "@/db/analytics-transaction";
import { buildIncident, type IncidentDraft } from "@/lib/abuse/evidence";
import { DETECTOR_ORDER, thresholdsFromEnv } from "@/lib/abuse/thresholds";
import { INCIDENT_TYPES, type IncidentType } from "@/lib/abuse/types";
import { getEnv } from "@/lib/env";
import { countUsersWithTelemetry, detect } from "./detectors";
import { autoThrottleIncidents } from "./auto-throttle";
import { mitigateIncidents } from "./mitigation";
import { recordIncidents, type CreatedIncident } from "./record";

export interface ScanOptions {
  /** The end of every window; defaults to now. Tests and replays pass their own. */
  now?: Date;
  /** Narrow the same queries to one user (runAllChecks). */
  userId?: string;
}

/** How a job runs the scan: each detector as a memoised step, with progress. Plain calls otherwise. */
interface ScanHooks {
  step?: <T>(id: string, fn: () => Promise<T>) => Promise<T>;
  progress?: (done: number, total: number, label: string) => Promise<void>;
}

export interface DetectorOutcome {
  type: IncidentType;
  /** Users over the threshold, including those who already have an open incident of this type. */
  found: number;
  created: CreatedIncident[];
}

export interface ScanSummary {
  scannedUsers: number;
  found: Record<IncidentType, number>;
  created: number;
  critical: number;
  suspended: number;
  /** Users the automatic throttle limited (ABUSE_AUTO_THROTTLE). */
  throttled: number;
  incidents: CreatedIncident[];
}

/** One detector: its set-based query, the incidents built from its rows, one set-based insert. */
async function runDetector(type: IncidentType, opts: { now: Date; userId?: string }): Promise<DetectorOutcome> {
  const thresholds = thresholdsFromEnv(getEnv());
  // Hash aggregates over a day of every user's telemetry: in memory, without JIT (db/analytics-transaction.ts).
  const found = await analyticsTransaction((tx) => detect(tx, type, { now: opts.now, thresholds, userId: opts.userId }));
  const windowEnd = opts.now.toISOString();
  const drafts = found.map((row) => buildIncident(type, row, { thresholds, windowEnd })).filter((d): d is IncidentDraft => d !== null);
  const created = await recordIncidents(type, drafts, opts.now);
  return { type, found: drafts.length, created };
}

const zeroCounts = () => Object.fromEntries(INCIDENT_TYPES.map((t) => [t, 0])) as Record<IncidentType, number>;

/**
 * The scan: count the users with telemetry, run the five detectors, then
 * auto-mitigate what they created. The same code path serves the hourly job
 * (with hooks), scanAllUsers and runAllChecks(userId).
 */
export async function scan(opts: ScanOptions = {}, hooks: ScanHooks = {}): Promise<ScanSummary> {
  const step = hooks.step ?? (<T>(_id: string, fn: () => Promise<T>) => fn());
  const now = opts.now ?? new Date();
  const total = DETECTOR_ORDER.length + 1;
  const scannedUsers = await step("count-users", async () => analyticsTransaction((tx) => countUsersWithTelemetry(tx, { now, userId: opts.userId })));
  const summary: ScanSummary = { scannedUsers, found: zeroCounts(), created: 0, critical: 0, suspended: 0, throttled: 0, incidents: [] };
  for (const [i, type] of DETECTOR_ORDER.entries()) {
    await hooks.progress?.(i, total, type);
    const outcome = await step(`detect-${type}`, () => runDetector(type, { now, userId: opts.userId }));
    summary.found[type] = outcome.found;
    summary.incidents.push(...outcome.created);
  }
  await hooks.progress?.(DETECTOR_ORDER.length, total, "mitigation");
  summary.suspended = await step("mitigate", () => mitigateIncidents(summary.incidents));
  // A throttle starts now, whatever instant the scan judged (a replay or a test passes its own).
  summary.throttled = await step("throttle", () => autoThrottleIncidents(summary.incidents));
  await hooks.progress?.(total, total, "done");
  summary.created = summary.incidents.length;
  summary.critical = summary.incidents.filter((i) => i.severity === "critical").length;
  return summary;
}

/** The whole user base, set-based: five queries and at most five inserts, whatever the number of users. */
export function scanAllUsers(opts: { now?: Date } = {}): Promise<ScanSummary> {
  return scan({ now: opts.now });
}

/** The same detectors, narrowed to one user by a parameter. */
export function runAllChecks(userId: string, opts: { now?: Date } = {}): Promise<ScanSummary> {
  return scan({ now: opts.now, userId });
}
