import "server-only";
import { countDueEmails, deliverDueEmails } from "@/lib/email/deliver";
import { defineJob } from "./define";

const BATCH = 50;
// A bound, so one run cannot hold the job's lock forever; the next tick carries on.
const MAX_BATCHES = 40;

/** Delivers the outbox: every minute, and right after an email is queued. */
export const emailJob = defineJob({
  name: "email",
  description: "Deliver queued emails through Resend (retries with backoff)",
  cron: "* * * * *",
  event: "securewave/email.queued",
  async run({ step, progress }) {
    const total = await step.run("count-due", () => countDueEmails());
    const counts = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const batch = await step.run(`deliver-batch-${i}`, () => deliverDueEmails({ limit: BATCH }));
      counts.sent += batch.sent;
      counts.retried += batch.retried;
      counts.failed += batch.failed;
      await progress(counts.sent + counts.retried + counts.failed, total, `batch ${i + 1}`);
      if (batch.claimed < BATCH) break; // none left
    }
    return counts;
  },
});
