import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getAdminDashboard } from "@/lib/dal/analytics";
import { describeSpan, parseRange, RANGES } from "@/components/charts/ranges";
import { makeUser } from "../support/factories";

describe("dashboard time range", () => {
  it("reads ?range= and falls back on anything else", () => {
    expect(parseRange("24h", "7d")).toBe("24h");
    expect(parseRange("30d", "7d")).toBe("30d");
    expect(parseRange("1y", "7d")).toBe("7d");
    expect(parseRange(["24h", "30d"], "7d")).toBe("7d");
    expect(parseRange(undefined, "24h")).toBe("24h");
    expect(RANGES["7d"].hours).toBe(168);
  });

  it("says how much history there is", () => {
    expect(describeSpan(1)).toBe("1 hour");
    expect(describeSpan(24)).toBe("24 hours");
    expect(describeSpan(72)).toBe("3 days");
    expect(describeSpan(77)).toBe("3 days and 5 hours");
  });

  it("the history holds the snapshots of the range asked for", async () => {
    const admin = await makeUser("admin");
    const db = await getDb();
    await db.execute(sql`insert into system_metrics (timestamp, total_connections, active_connections)
      values (date_trunc('hour', now()) - interval '1 hour', 39, 1), (date_trunc('hour', now()) - interval '30 hours', 12, 2),
             (date_trunc('hour', now()) - interval '20 days', 5, 0)`);
    const day = await getAdminDashboard(admin.actor, RANGES["24h"].hours);
    expect(day.history.map((h) => h.totalConnections)).toEqual([39]);
    const week = await getAdminDashboard(admin.actor, RANGES["7d"].hours);
    expect(week.history.map((h) => h.totalConnections)).toEqual([12, 39]);
    const month = await getAdminDashboard(admin.actor, RANGES["30d"].hours);
    expect(month.history.map((h) => h.totalConnections)).toEqual([5, 12, 39]);
    expect(week.latest).toMatchObject({ totalConnections: 39, activeConnections: 1 });
  });
});
