import "server-only";
import { getEnv } from "@/lib/env";
import { sweepTelemetry } from "@/lib/services/telemetry";
import { retireExpiredKeys } from "@/lib/services/previous-keys";
import { pruneRateLimits } from "@/lib/services/rate-limit";
import { pruneSessions } from "@/lib/services/sessions";
import { pruneEmailTokens } from "@/lib/services/email-tokens";
import { defineJob } from "./define";
import { sweepInterruptedRuns } from "./runs";

/**
 * Housekeeping every 5 minutes: end sessions of silent servers, retire old
 * keys whose grace ended, prune old samples and sign-in sessions, and close
 * job runs whose process stopped (the embedded scheduler also does that every
 * minute; with Inngest, where it stands down, this step is what does it).
 */
export const telemetryJob = defineJob({
  name: "telemetry",
  description: "End stale sessions, retire rotated keys after their grace period, prune samples past retention",
  cron: "*/5 * * * *",
  async run({ step }) {
    const swept = await step.run("sweep", () => sweepTelemetry(new Date(), getEnv().TELEMETRY_RETENTION_DAYS));
    const retired = await step.run("retire-expired", () => retireExpiredKeys(new Date()));
    await step.run("prune-rate-limits", () => pruneRateLimits());
    const signIns = await step.run("prune-sign-in-sessions", () => pruneSessions());
    const emailLinks = await step.run("prune-email-links", () => pruneEmailTokens());
    const interrupted = await step.run("close-interrupted-runs", () => sweepInterruptedRuns());
    return {
      sessionsClosed: swept.closed,
      samplesPruned: swept.pruned,
      keysRetired: retired,
      signInSessionsPruned: signIns,
      emailLinksPruned: emailLinks,
      runsInterrupted: interrupted,
    };
  },
});
