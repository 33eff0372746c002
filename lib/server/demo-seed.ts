import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, vpnServers } from "@/db/schema";
import { createAccount } from "@/lib/services/accounts";
import { createServer } from "@/lib/services/servers";
import { describeError, log } from "@/lib/log";

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

/** The demo's customers, devices, two weeks of history, tickets and incidents (lib/server/demo-story.ts). */
export async function seedDemoHistory(db: Db) {
  const { seedDemoStory } = await import("./demo-story");
  return seedDemoStory(db, DEMO_PASSWORD);
}

/**
 * Only the first start of a new embedded database seeds itself; PostgreSQL
 * never does. The accounts and servers come first (sign-in works at once);
 * the history fills in behind the first requests, and `db.seeded` says when
 * it is complete.
 */
export async function seedIfNewEmbedded(handle: { db: Db; kind: string; dataDir: string | null }) {
  if (handle.kind !== "pglite" || handle.dataDir === null) return;
  const [{ n }] = await handle.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users);
  if (n > 0) return;
  const result = await seedDemo(handle.db);
  log.info("db.seeding", { ...result, step: "history" });
  void seedDemoHistory(handle.db).then(
    (story) => log.info("db.seeded", { ...result, ...story }),
    (err: unknown) => log.error("db.seed_failed", describeError(err)),
  );
}
