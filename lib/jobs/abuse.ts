import "server-only";
import { scan } from "@/lib/services/abuse/scan";
import { defineJob } from "./define";

const camel = (type: string) => type.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The hourly abuse scan: the five detectors as steps (each one set-based query
 * plus one insert), then auto-mitigation. Counts: users with telemetry in the
 * window, users found per detector, incidents created, critical, suspended, throttled.
 */
export const abuseJob = defineJob({
  name: "abuse",
  description: "Scan all users' telemetry with the five abuse detectors, record incidents, alert on critical ones, auto-suspend and throttle where configured",
  cron: "0 * * * *",
  async run({ step, progress }) {
    const startedAt = await step.run("start", async () => new Date().toISOString());
    const summary = await scan({ now: new Date(startedAt) }, { step: (id, fn) => step.run(id, fn), progress });
    const counts: Record<string, number> = { scannedUsers: summary.scannedUsers };
    for (const [type, n] of Object.entries(summary.found)) counts[`found${camel(`_${type}`)}`] = n;
    return { ...counts, created: summary.created, critical: summary.critical, suspended: summary.suspended, throttled: summary.throttled };
  },
});
