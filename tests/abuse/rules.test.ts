import { describe, expect, it } from "vitest";
import { buildIncident, trafficRatio } from "@/lib/abuse/evidence";
import { formatBytes, formatSeconds, formatWindow } from "@/lib/abuse/format";
import { ESCALATION_FACTOR, GB, MB, RULES, exceeds, parseAutoSuspend, severityFor, thresholdsFromEnv } from "@/lib/abuse/thresholds";
import { parseEnv } from "@/lib/env";

const defaults = thresholdsFromEnv(parseEnv({}));

describe("thresholds (pure)", () => {
  it("reads the seed's defaults; GB and MB are decimal", () => {
    expect(GB).toBe(1e9);
    expect(MB).toBe(1e6);
    expect(defaults).toEqual({
      bandwidthBytesPerDay: 500e9,
      reconnectsPerHour: 50,
      maxConcurrent: 5,
      trafficRatio: 10,
      trafficMinBytes: 100e6,
      sharingIps: 3,
    });
    expect(thresholdsFromEnv(parseEnv({ EXCESSIVE_BANDWIDTH_GB_PER_DAY: "0.5" })).bandwidthBytesPerDay).toBe(500e6);
  });

  it("compares strictly except for account sharing ('3+ unique IPs')", () => {
    expect(exceeds(RULES.excessive_bandwidth, 500e9, 500e9)).toBe(false);
    expect(exceeds(RULES.excessive_bandwidth, 500e9 + 1, 500e9)).toBe(true);
    expect(exceeds(RULES.rapid_reconnects, 50, 50)).toBe(false);
    expect(exceeds(RULES.rapid_reconnects, 51, 50)).toBe(true);
    expect(exceeds(RULES.concurrent_connections, 5, 5)).toBe(false);
    expect(exceeds(RULES.suspicious_traffic_pattern, 10, 10)).toBe(false);
    expect(exceeds(RULES.account_sharing, 2, 3)).toBe(false);
    expect(exceeds(RULES.account_sharing, 3, 3)).toBe(true);
  });

  it("keeps the seed's severities and escalates to critical at 3x the threshold", () => {
    expect(ESCALATION_FACTOR).toBe(3);
    expect(Object.fromEntries(Object.values(RULES).map((r) => [r.type, r.baseSeverity]))).toEqual({
      excessive_bandwidth: "high",
      rapid_reconnects: "medium",
      concurrent_connections: "high",
      suspicious_traffic_pattern: "medium",
      account_sharing: "high",
    });
    expect(severityFor(RULES.rapid_reconnects, 149, 50)).toBe("medium");
    expect(severityFor(RULES.rapid_reconnects, 150, 50)).toBe("critical");
    expect(severityFor(RULES.account_sharing, 9, 3)).toBe("critical");
    expect(severityFor(RULES.suspicious_traffic_pattern, Infinity, 10)).toBe("critical");
  });

  it("parses ABUSE_AUTO_SUSPEND, reporting unknown names instead of applying them", () => {
    expect(parseAutoSuspend("")).toEqual({ types: new Set(), unknown: [] });
    expect(parseAutoSuspend(" account_sharing , EXCESSIVE_BANDWIDTH,,spam")).toEqual({ types: new Set(["account_sharing", "excessive_bandwidth"]), unknown: ["spam"] });
  });
});

describe("evidence and descriptions (pure)", () => {
  const ctx = { thresholds: defaults, windowEnd: "2031-01-02T00:00:00.000Z" };
  const windowStart = "2031-01-01T00:00:00.000Z";

  it("describes bandwidth like '412 GB in 24 h (threshold 500 GB)' and refuses figures under the threshold", () => {
    expect(buildIncident("excessive_bandwidth", { userId: "u", windowStart, facts: { totalBytes: 412e9 } }, ctx)).toBeNull();
    const d = buildIncident("excessive_bandwidth", { userId: "u", windowStart, facts: { totalBytes: 512.34e9, peerIds: Array.from({ length: 30 }, (_, i) => `p${i}`) } }, ctx)!;
    expect(d.description).toBe("512.3 GB in 24 h (threshold 500 GB)");
    expect(d.severity).toBe("high");
    expect(d.metadata).toMatchObject({ value: 512.34e9, threshold: 500e9, criticalAt: 1500e9, windowStart, windowEnd: ctx.windowEnd, comparison: ">" });
    expect(d.metadata.peerIds).toHaveLength(20);
  });

  it("needs the minimum volume before judging a ratio", () => {
    expect(buildIncident("suspicious_traffic_pattern", { userId: "u", windowStart, facts: { bytesUp: 99e6, bytesDown: 0, totalBytes: 99e6 } }, ctx)).toBeNull();
    expect(trafficRatio(0, 0)).toEqual({ ratio: 0, dominant: "upload" });
    expect(trafficRatio(1, 20)).toEqual({ ratio: 20, dominant: "download" });
  });

  it("formats bytes, windows and durations", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1_234)).toBe("1.2 kB");
    expect(formatBytes(412e9)).toBe("412 GB");
    expect(formatBytes(1.5e12)).toBe("1.5 TB");
    expect(formatWindow(24 * 3_600_000)).toBe("24 h");
    expect(formatWindow(40 * 60_000)).toBe("40 min");
    expect(formatSeconds(42)).toBe("42 s");
    expect(formatSeconds(3_725)).toBe("1 h 2 min");
  });
});
