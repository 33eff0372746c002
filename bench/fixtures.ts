import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { ipLeases, peerLiveStats, vpnServers, wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { peerAddresses } from "@/lib/wireguard/addresses";
import { createServer } from "@/lib/services/servers";
import type { UserActor } from "@/lib/auth/actor";

let serial = 0;

/** Plain accounts without password hashes, inserted in one statement. */
export async function bulkUsers(n: number): Promise<UserActor[]> {
  const db = await getDb();
  const tag = `${Date.now().toString(36)}${serial++}`;
  const list = await rows<{ id: string; email: string }>(
    db,
    sql`insert into users (email, name) select 'bench-' || ${tag} || '-' || i || '@bench.securewave.test', 'Bench ' || i
        from generate_series(1, ${n}::int) i returning id, email`,
  );
  return list.map((u) => ({ kind: "user", id: u.id, email: u.email, role: "user", status: "active" }));
}

export async function benchServer(ipv4Pool = "10.200.0.0/16") {
  const { server, agentToken } = await createServer(
    { kind: "system", job: "bench" },
    { name: `bench-${Date.now().toString(36)}-${serial++}`, region: "bench", endpointHost: "bench.vpn.test", endpointPort: 51820, ipv4Pool, ipv6Pool: "fd99::/64", dns: "1.1.1.1", mtu: null },
  );
  return { ...server, agentToken };
}

/** `count` devices (one per new account) on one server, keys generated and sealed, addresses handed out in bulk. */
export async function bulkPeers(serverId: string, count: number, opts: { due?: boolean } = {}) {
  const db = await getDb();
  const env = getEnv();
  const users = await bulkUsers(count);
  const [server] = await db.select().from(vpnServers).where(sql`${vpnServers.id} = ${serverId}`);
  const start = server!.nextHostIndex;
  const peers: { id: string; publicKey: string; userId: string }[] = [];
  for (let off = 0; off < count; off += 2000) {
    const values: (typeof wireguardPeers.$inferInsert)[] = [];
    const leases: (typeof ipLeases.$inferInsert)[] = [];
    for (let i = off; i < Math.min(count, off + 2000); i++) {
      const keys = generateKeyPair();
      const id = crypto.randomUUID();
      const hostIndex = start + i;
      const now = Date.now();
      values.push({
        id, userId: users[i]!.id, serverId, deviceName: "bench", deviceType: "linux", publicKey: keys.publicKey,
        privateKeySealed: seal(keys.privateKey), presharedKeySealed: seal(generatePresharedKey()), hostIndex,
        ...peerAddresses(server!.ipv4Pool, server!.ipv6Pool, hostIndex), rotationIntervalDays: env.DEFAULT_KEY_ROTATION_DAYS,
        lastKeyRotationAt: new Date(now), nextKeyRotationAt: new Date(opts.due ? now - 86_400_000 : now + 90 * 86_400_000),
      });
      leases.push({ serverId, hostIndex, peerId: id });
      peers.push({ id, publicKey: keys.publicKey, userId: users[i]!.id });
    }
    await db.insert(wireguardPeers).values(values);
    // As createPeer does: every device has its live figures' row, which the stats push updates.
    await db.insert(peerLiveStats).values(values.map((v) => ({ peerId: v.id! })));
    await db.insert(ipLeases).values(leases);
  }
  await db.update(vpnServers).set({ nextHostIndex: start + count, configVersion: sql`${vpnServers.configVersion} + 1` }).where(sql`${vpnServers.id} = ${serverId}`);
  // A running system has statistics on its tables (autovacuum analyzes after bulk changes): measure
  // that, not the plans of a table the planner has never seen. The code stays linear without them
  // (bench/explain.ts --no-stats shows those plans).
  await db.execute(sql`analyze users, wireguard_peers, peer_live_stats, ip_leases, vpn_servers`);
  return { peers, users };
}
