import { getDb } from "@/db/client";
import { INCIDENT_TYPES, type IncidentType } from "@/lib/abuse/types";
import { runAllChecks, type ScanSummary } from "@/lib/services/abuse";
import { listUsersWithTelemetry } from "@/lib/services/abuse/detectors";

/**
 * The benchmark's baseline, not the app's: the seed's design, a loop over
 * users calling every check per user (5 queries a user). It finds what the
 * set-based scanAllUsers finds (tests/abuse/job.test.ts), which is what makes
 * the two timings comparable.
 */
export async function scanUserByUser(opts: { now?: Date } = {}): Promise<ScanSummary> {
  const now = opts.now ?? new Date();
  const userIds = await listUsersWithTelemetry(await getDb(), { now });
  const found = Object.fromEntries(INCIDENT_TYPES.map((t) => [t, 0])) as Record<IncidentType, number>;
  const summary: ScanSummary = { scannedUsers: userIds.length, found, created: 0, critical: 0, suspended: 0, throttled: 0, incidents: [] };
  for (const userId of userIds) {
    const one = await runAllChecks(userId, { now });
    for (const t of INCIDENT_TYPES) summary.found[t] += one.found[t];
    summary.incidents.push(...one.incidents);
    summary.suspended += one.suspended;
    summary.throttled += one.throttled;
  }
  summary.created = summary.incidents.length;
  summary.critical = summary.incidents.filter((i) => i.severity === "critical").length;
  return summary;
}
