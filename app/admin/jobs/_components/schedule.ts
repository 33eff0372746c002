/** A few common cron shapes in words; anything else is shown as the cron itself. All schedules are UTC. */
export function describeCron(cron: string | undefined): string {
  if (!cron) return "On demand";
  const [min, hour, dom, mon, dow] = cron.trim().split(/\s+/);
  const pad = (s: string) => s.padStart(2, "0");
  if (dom !== "*" || mon !== "*") return `cron ${cron} (UTC)`;
  if (min === "*" && hour === "*" && dow === "*") return "Every minute";
  const every = /^\*\/(\d+)$/.exec(min ?? "");
  if (every && hour === "*" && dow === "*") return `Every ${every[1]} minutes`;
  if (/^\d+$/.test(min ?? "") && hour === "*" && dow === "*") return `Hourly at :${pad(min!)}`;
  if (/^\d+$/.test(min ?? "") && /^\d+$/.test(hour ?? "") && dow === "*") return `Daily at ${pad(hour!)}:${pad(min!)} UTC`;
  return `cron ${cron} (UTC)`;
}
