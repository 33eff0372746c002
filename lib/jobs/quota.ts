import "server-only";
import { blockExhaustedQuotas, releaseQuotaBlocks, warnNearQuota } from "@/lib/services/quota";
import { defineJob } from "./define";

/**
 * Monthly data allowances: lift blocks whose month has turned (in each
 * account's zone) or whose allowance was raised, then block accounts at
 * 100 % and warn those at 80 %. Each step is one set-based statement whose
 * emails share its transaction; "now" is fixed once so a replay sees the
 * same month.
 */
export const quotaJob = defineJob({
  name: "quota",
  description: "Monthly data allowances: warn at 80 %, pause devices at 100 %, resume them when the month turns",
  cron: "*/10 * * * *",
  async run({ step }) {
    const startedAt = await step.run("start", async () => new Date().toISOString());
    const now = new Date(startedAt);
    const released = await step.run("release", () => releaseQuotaBlocks(now));
    const blocked = await step.run("block", () => blockExhaustedQuotas(now));
    const warned = await step.run("warn", () => warnNearQuota(now));
    return {
      unblocked: released.released,
      blocked: blocked.blocked,
      exceededEmails: blocked.emailed,
      warningEmails: warned,
      serversBumped: released.servers + blocked.servers,
    };
  },
});
