import "server-only";
import { expirePeers, warnExpiringPeers } from "@/lib/services/expiry";
import { expireThrottles } from "@/lib/services/throttle";
import { defineJob } from "./define";

/**
 * Device expiry: warn owners a few days ahead, and make agents pull a new
 * config once a device's expiry has passed (the ETag shortcut only sees
 * config_version). Throttles past their `until` are recorded as ended the
 * same way (they left the configs at `until` already). Every step is
 * idempotent.
 */
export const expiryJob = defineJob({
  name: "expiry",
  description: "Warn owners of devices that expire within 3 days; take expired devices out of the server configs; end throttles whose time is up",
  cron: "*/5 * * * *",
  async run({ step }) {
    const startedAt = await step.run("start", async () => new Date().toISOString());
    const now = new Date(startedAt);
    const warned = await step.run("warn", () => warnExpiringPeers(now));
    const expired = await step.run("expire", () => expirePeers(now));
    const throttles = await step.run("throttles", () => expireThrottles(now));
    return { warned, expired: expired.expired, serversBumped: expired.servers + throttles.servers, throttlesEnded: throttles.expired };
  },
});
