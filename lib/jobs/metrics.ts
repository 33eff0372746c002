import "server-only";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import { defineJob } from "./define";

/** Hourly system snapshot for the admin dashboard. */
export const metricsJob = defineJob({
  name: "metrics",
  description: "Take the hourly system metrics snapshot (users, connections, servers, bandwidth, revenue, tickets, abuse)",
  cron: "2 * * * *",
  async run({ step }) {
    await step.run("snapshot", () => snapshotSystemMetrics(new Date()));
    return { snapshots: 1 };
  },
});
