import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, vpnServers } from "@/db/schema";
import { createAccount } from "@/lib/services/accounts";
import { createServer } from "@/lib/services/servers";
import { log } from "@/lib/log";

export const DEMO_PASSWORD = "demo-password";
export const DEMO_ACCOUNTS = [
  { email: "admin@securewave.test", name: "Ada Admin", role: "admin" },
  { email: "agent@securewave.test", name: "Sam Support", role: "agent" },
  { email: "alice@securewave.test", name: "Alice Example", role: "user" },
  { email: "bob@securewave.test", name: "Bob Example", role: "user" },
] as const;

export const DEMO_SERVERS = [
  { name: "Frankfurt 1", region: "eu-central", endpointHost: "fra1.vpn.securewave.test", endpointPort: 51820, ipv4Pool: "10.8.0.0/24", ipv6Pool: "fd42:8:0:1::/64" },
  { name: "New York 1", region: "us-east", endpointHost: "nyc1.vpn.securewave.test", endpointPort: 51820, ipv4Pool: "10.9.0.0/24", ipv6Pool: "fd42:9:0:1::/64" },
] as const;

async function seedServers(db: Db): Promise<number> {
  let created = 0;
  for (const server of DEMO_SERVERS) {
    const [exists] = await db.select({ id: vpnServers.id }).from(vpnServers).where(sql`lower(${vpnServers.name}) = lower(${server.name})`);
    if (exists) continue;
    await createServer({ kind: "system", job: "seed" }, { ...server, dns: "1.1.1.1, 1.0.0.1", mtu: 1420 });
    created++;
  }
  return created;
}

/** Demo data: the accounts of API.md and two servers (idempotent: what exists is left alone). */
export async function seedDemo(db: Db): Promise<{ created: number; servers: number }> {
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const [exists] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${account.email}`);
    if (exists) continue;
    await createAccount({ ...account, password: DEMO_PASSWORD }, { kind: "system", job: "seed" });
    created++;
  }
  return { created, servers: await seedServers(db) };
}

/**
 * A little history so the usage page and the dashboard have something to
 * show on a fresh install: a dozen synthetic accounts and two weeks of
 * activity, plus one device with history each for alice and bob.
 */
export async function seedDemoHistory(db: Db): Promise<void> {
  const { synthUsers, synthActivity } = await import("@/bench/synth");
  const demo = await db.select({ id: users.id }).from(users).where(sql`${users.email} in ('alice@securewave.test', 'bob@securewave.test')`);
  const background = await synthUsers(12, 14);
  await synthActivity([...demo.map((u) => u.id), ...background], 14, { snapshots: 24, maxDevicesPerUser: 1 });
}

/** Only the first start of a new embedded database seeds itself; PostgreSQL never does. */
export async function seedIfNewEmbedded(handle: { db: Db; kind: string; dataDir: string | null }) {
  if (handle.kind !== "pglite" || handle.dataDir === null) return;
  const [{ n }] = await handle.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users);
  if (n > 0) return;
  const result = await seedDemo(handle.db);
  await seedDemoHistory(handle.db);
  log.info("db.seeded", result);
}
