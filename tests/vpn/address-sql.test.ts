import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { addressAt, combinedCapacity } from "@/lib/wireguard/addresses";

/**
 * createPeer computes a new device's addresses inside its last SQL statement
 * (PostgreSQL inet arithmetic) so that the server row lock ends with that
 * statement; lib/wireguard/addresses remains the definition. They must agree.
 */
describe("host index → addresses in SQL", () => {
  it("agrees with lib/wireguard/addresses for IPv4 and IPv6 pools of every allowed size", async () => {
    const pools: [string, string][] = [
      ["10.8.0.0/24", "fd00::/64"],
      ["10.0.0.0/16", "fd12:3456:789a:1::/64"],
      ["192.168.100.0/29", "fd00:0:0:1::/120"],
      ["172.16.0.0/20", "2001:db8:0:0:1::/80"],
      ["10.250.0.0/17", "fd00:1::/96"],
    ];
    const cases: { v4: string; v6: string; h: number }[] = [];
    for (const [v4, v6] of pools) {
      const cap = combinedCapacity(v4, v6);
      for (const h of new Set([0, 1, 2, 253, 254, 255, 256, 65535, cap - 2, cap - 1].filter((h) => h >= 0 && h < cap))) cases.push({ v4, v6, h });
    }
    const db = await getDb();
    const got = await rows<{ v4: string; v6: string; h: number; ipv4: string; ipv6: string }>(
      db,
      sql`select v4, v6, h, host(v4::inet + (2 + h)) as ipv4, host(v6::inet + (2 + h)) as ipv6
          from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as c(v4 text, v6 text, h int)`,
    );
    expect(got).toHaveLength(cases.length);
    for (const r of got) {
      expect(r.ipv4).toBe(addressAt(r.v4, r.h));
      expect(r.ipv6).toBe(addressAt(r.v6, r.h));
    }
  });
});
