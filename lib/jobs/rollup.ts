import "server-only";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { defineJob } from "./define";

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Hourly: today's and yesterday's daily metrics (yesterday's late pushes
 * land too), then every user's lifetime stats. Each step is idempotent.
 */
export const rollupJob = defineJob({
  name: "rollup",
  description: "Roll telemetry up into per-user daily metrics and lifetime usage stats",
  cron: "7 * * * *",
  async run({ step, progress }) {
    const now = new Date(await step.run("start", async () => new Date().toISOString()));
    const from = day(new Date(now.getTime() - 86_400_000));
    const to = day(new Date(now.getTime() + 86_400_000));
    const dailyRows = await step.run("daily", () => rollupDailyUsage(from, to));
    await progress(1, 2, "daily metrics");
    const users = await step.run("users", () => rollupUserStats({ now }));
    await progress(2, 2, "user stats");
    return { dailyRows, users };
  },
});
