import { stderrProgress, synth } from "@/bench/synth";
import { UsageError, type Command } from "./types";

export const dataSynth: Command = {
  name: "data:synth",
  summary: "Generate realistic synthetic history (accounts, devices, sessions, traffic, tickets) and roll it up",
  usage: "data:synth --users N --days D [--snapshots H]",
  options: { users: { type: "string" }, days: { type: "string" }, snapshots: { type: "string" } },
  async run(v) {
    const users = Number(v.users ?? 100);
    const days = Number(v.days ?? 30);
    const snapshots = Number(v.snapshots ?? 48);
    if (!Number.isInteger(users) || users < 1 || users > 1_000_000) throw new UsageError("--users must be 1-1,000,000");
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError("--days must be 1-366");
    if (!Number.isInteger(snapshots) || snapshots < 0 || snapshots > 24 * 90) throw new UsageError("--snapshots must be 0-2160");
    const started = Date.now();
    const result = await synth(users, days, { snapshots, progress: stderrProgress(started) });
    console.log(`synthesized ${result.users} users, ${result.devices} devices, ${result.sessions} sessions, ${result.tickets} tickets over ${days} days in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
};
