import "server-only";
import { sweepSlaBreaches } from "@/lib/services/support/sla-monitor";
import { defineJob } from "./define";

/**
 * The SLA monitor: flags first-response and resolution breaches of active
 * tickets (breach time = the deadline) and alerts the support team once per
 * ticket and kind. One step per kind, each one idempotent UPDATE … RETURNING
 * with its alerts in the same transaction, so a retried step sends nothing twice.
 */
export const slaJob = defineJob({
  name: "sla",
  description: "Flag tickets past their first-response or resolution deadline and alert the support team",
  cron: "*/15 * * * *",
  async run({ step }) {
    const response = await step.run("response-breaches", () => sweepSlaBreaches("response", new Date()));
    const resolution = await step.run("resolution-breaches", () => sweepSlaBreaches("resolution", new Date()));
    return { responseBreaches: response.flagged, resolutionBreaches: resolution.flagged, alertsQueued: response.alerts + resolution.alerts };
  },
});
