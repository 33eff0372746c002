import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { createPeer } from "@/lib/services/peers";
import type { UserActor } from "@/lib/auth/actor";
import { makeServer } from "../support/factories";

/** PGlite runs one transaction at a time and would hide races: these run on PostgreSQL only. */
const onPostgres = !!process.env.TEST_DATABASE_URL;

async function manyUsers(n: number): Promise<UserActor[]> {
  const db = await getDb();
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `c${i}-${Math.random().toString(36).slice(2)}@example.test` })))
    .returning({ id: users.id, email: users.email, role: users.role, status: users.status });
  return rows.map((r) => ({ kind: "user", ...r }));
}

describe.skipIf(!onPostgres)("address allocation under concurrency (PostgreSQL)", () => {
  it("100 simultaneous creates on one server get 100 distinct addresses", async () => {
    const server = await makeServer({ ipv4Pool: "10.50.0.0/24" });
    const actors = await manyUsers(100);
    const peers = await Promise.all(actors.map((a, i) => createPeer(a, { serverId: server.id, deviceName: `dev${i}`, deviceType: "other" })));
    expect(new Set(peers.map((p) => p.ipv4)).size).toBe(100);
    expect(new Set(peers.map((p) => p.ipv6)).size).toBe(100);
  });

  it("creates past a full pool fail cleanly with pool_exhausted", async () => {
    const server = await makeServer({ ipv4Pool: "10.51.0.0/29" });
    const actors = await manyUsers(12);
    const results = await Promise.allSettled(actors.map((a, i) => createPeer(a, { serverId: server.id, deviceName: `d${i}`, deviceType: "other" })));
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(5);
    expect(failed).toHaveLength(7);
    for (const f of failed) expect(f.reason.code).toBe("pool_exhausted");
  });

  it("one user's parallel creates cannot overshoot the device limit", async () => {
    const server = await makeServer();
    const [actor] = await manyUsers(1);
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => createPeer(actor!, { serverId: server.id, deviceName: `p${i}`, deviceType: "other" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("device_limit_reached");
  });
});
