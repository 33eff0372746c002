/**
 * What each job's counters mean, in words, for the admin jobs page (a run's
 * `counts` are keyed by the job's own short names). Pure and free of server
 * imports: the jobs page renders it and the live "Run now" panel does too, in
 * the browser. A counter missing here is still shown, under its key turned
 * into words ("serversBumped" → "Servers bumped").
 */
const LABELS: Record<string, Record<string, string>> = {
  email: { sent: "Emails sent", retried: "Emails to retry later", failed: "Emails given up on" },
  rotation: {
    due: "Devices due for a new key",
    rotated: "Devices rotated",
    skipped: "Devices skipped (no longer due)",
    reminded: "Own-key owners reminded",
    retired: "Old keys retired after their grace period",
  },
  telemetry: {
    sessionsClosed: "Stale sessions closed",
    samplesPruned: "Traffic samples pruned (past retention)",
    keysRetired: "Old keys retired after their grace period",
    signInSessionsPruned: "Expired sign-in sessions pruned",
    emailLinksPruned: "Used or expired email links pruned",
    runsInterrupted: "Silent job runs closed as interrupted",
  },
  rollup: { dailyRows: "Daily usage rows written", users: "Users' lifetime stats refreshed" },
  metrics: { snapshots: "System snapshots taken" },
  abuse: {
    scannedUsers: "Users with traffic scanned",
    foundExcessiveBandwidth: "Excessive bandwidth found",
    foundRapidReconnects: "Rapid reconnects found",
    foundConcurrentConnections: "Too many concurrent connections found",
    foundSuspiciousTrafficPattern: "Suspicious traffic patterns found",
    foundAccountSharing: "Account sharing found",
    created: "Incidents opened",
    critical: "Critical incidents",
    suspended: "Accounts suspended automatically",
    throttled: "Accounts throttled automatically",
  },
  sla: {
    responseBreaches: "First-response deadlines missed",
    resolutionBreaches: "Resolution deadlines missed",
    alertsQueued: "Alerts sent to the support team",
  },
  quota: {
    unblocked: "Devices resumed (month turned or allowance raised)",
    blocked: "Accounts paused at their data allowance",
    exceededEmails: "Allowance reached emails",
    warningEmails: "80 % warning emails",
    serversBumped: "Server configs updated",
  },
  expiry: {
    warned: "Owners warned of an expiring device",
    expired: "Devices expired",
    serversBumped: "Server configs updated",
    throttlesEnded: "Throttles ended (their time was up)",
  },
};

/** "foundSuspiciousTrafficPattern" → "Found suspicious traffic pattern"; "dailyRows" → "Daily rows"; "ipv4_pool" → "Ipv4 pool". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** Whether a job's counter has words of its own (not only its key turned into words). */
export function hasCounterLabel(job: string, key: string): boolean {
  return LABELS[job]?.[key] !== undefined;
}

/** The words for one counter of one job's run. */
export function counterLabel(job: string, key: string): string {
  return LABELS[job]?.[key] ?? humanizeKey(key);
}

/**
 * A run's counters as label/value pairs, in the order of the job's labels
 * above (the database keeps counts as jsonb, which reorders keys), then any
 * counter without words of its own.
 */
export function labelledCounts(job: string, counts: Record<string, number> | null | undefined): { key: string; label: string; value: number }[] {
  const order = Object.keys(LABELS[job] ?? {});
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return Object.entries(counts ?? {})
    .map(([key, value]) => ({ key, label: counterLabel(job, key), value: Number(value) || 0 }))
    .sort((a, b) => rank(a.key) - rank(b.key));
}

/** True when a run counted nothing at all (an email run with an empty outbox): such runs are hidden from the list by default. */
export function isEmptyCount(counts: Record<string, number> | null | undefined): boolean {
  return Object.values(counts ?? {}).every((v) => !Number(v));
}
