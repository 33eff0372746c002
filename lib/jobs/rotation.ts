import "server-only";
import { retireExpiredKeys } from "@/lib/services/previous-keys";
import { findDuePeerIds, rotateBatch } from "@/lib/services/rotation";
import { remindDueByokPeers } from "@/lib/services/rotation-reminders";
import { defineJob } from "./define";

export const ROTATION_BATCH_SIZE = 200;

/**
 * rotate_all_due_keys: finds every due device with one query, rotates them
 * in batches (one step per batch: a retried step skips peers no longer due),
 * reminds bring-your-own-key owners, and retires old keys whose grace ended.
 */
export const rotationJob = defineJob({
  name: "rotation",
  description: "Rotate the keys of every device that is due, remind owners of their-own-key devices, retire old keys after grace",
  cron: "0 3 * * *",
  async run({ step, progress }) {
    const startedAt = await step.run("start", async () => new Date().toISOString());
    const now = new Date(startedAt);
    const ids = await step.run("find-due", () => findDuePeerIds(now));
    const counts = { due: ids.length, rotated: 0, skipped: 0, reminded: 0, retired: 0 };
    await progress(0, ids.length, "rotating");
    for (let i = 0; i * ROTATION_BATCH_SIZE < ids.length; i++) {
      const batch = ids.slice(i * ROTATION_BATCH_SIZE, (i + 1) * ROTATION_BATCH_SIZE);
      const r = await step.run(`rotate-batch-${i}`, () => rotateBatch(batch, now));
      counts.rotated += r.rotated;
      counts.skipped += r.skipped;
      await progress(counts.rotated + counts.skipped, ids.length, `batch ${i + 1}`);
    }
    counts.reminded = await step.run("remind-byok", () => remindDueByokPeers(now));
    counts.retired = await step.run("retire-expired", () => retireExpiredKeys(new Date()));
    return counts;
  },
});
