import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { vpnServers, wireguardPeers } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { seal } from "@/lib/crypto/seal";
import { generateToken, hashToken } from "@/lib/crypto/tokens";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { DEFAULT_MTU } from "@/lib/wireguard/config";
import { combinedCapacity, randomUlaPool } from "@/lib/wireguard/addresses";
import type { Actor, AgentActor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import type { ServerInput } from "@/lib/validation/vpn";
import { z } from "zod";
import { ServerUpdateSchema, splitEndpoint, type ServerPatch } from "@/lib/validation/vpn";
import { getServerForAdmin } from "@/lib/dal/servers";

/** IP_POOL_START.0 up to the broadcast after IP_POOL_END: 254 → /24, 126 → /25 (lib/env.ts allows only aligned blocks). */
export function defaultIpv4Pool(): string {
  const env = getEnv();
  return `${env.IP_POOL_START}.0/${32 - Math.log2(env.IP_POOL_END + 2)}`;
}

/**
 * Creates a VPN server: its WireGuard keypair (private key sealed) and its
 * agent token, which is returned once and stored only as a hash.
 */
export async function createServer(actor: Actor, input: ServerInput) {
  authorize(actor, "servers.manage");
  const env = getEnv();
  const ipv4Pool = input.ipv4Pool ?? defaultIpv4Pool();
  const ipv6Pool = input.ipv6Pool ?? (env.DEFAULT_IPV6_POOL || randomUlaPool());
  const keys = generateKeyPair();
  const agentToken = generateToken("swa");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [server] = await tx
        .insert(vpnServers)
        .values({
          name: input.name,
          region: input.region,
          endpointHost: input.endpointHost,
          endpointPort: input.endpointPort,
          ipv4Pool,
          ipv6Pool,
          dns: input.dns ?? env.DEFAULT_DNS,
          mtu: input.mtu ?? DEFAULT_MTU,
          publicKey: keys.publicKey,
          privateKeySealed: seal(keys.privateKey),
          agentTokenHash: hashToken(agentToken),
          agentTokenPrefix: agentToken.slice(0, 10),
          capacity: combinedCapacity(ipv4Pool, ipv6Pool),
        })
        .returning({ id: vpnServers.id, name: vpnServers.name, publicKey: vpnServers.publicKey });
      await recordAudit(tx, actor, "server.created", { type: "vpn_server", id: server.id }, { name: server.name });
      return { server, agentToken };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "A server with this name already exists", [{ path: "name", message: "A server with this name already exists" }]);
    throw err;
  }
}

export async function updateServer(actor: Actor, serverId: string, patch: z.infer<typeof ServerUpdateSchema>) {
  authorize(actor, "servers.manage");
  const db = await getDb();
  // The agent's config carries the listen port and the interface MTU: a change of either is a new config version (and so a new ETag).
  const changesAgentConfig = patch.endpointPort !== undefined || patch.mtu !== undefined;
  const [row] = await db
    .update(vpnServers)
    .set({ ...patch, updatedAt: new Date(), ...(changesAgentConfig ? { configVersion: sql`${vpnServers.configVersion} + 1` } : {}) })
    .where(eq(vpnServers.id, serverId))
    .returning({ id: vpnServers.id })
    .catch((err) => {
      if (isUniqueViolation(err)) throw new AppError("conflict", "A server with this name already exists", [{ path: "name", message: "A server with this name already exists" }]);
      throw err;
    });
  if (!row) throw new AppError("not_found", "Server not found");
  await recordAudit(db, actor, "server.updated", { type: "vpn_server", id: serverId }, { fields: Object.keys(patch) });
}

/** PATCH /api/admin/servers/:id: `endpoint` is "host:port"; answers the server as the admin list shows it. */
export async function patchServer(actor: Actor, serverId: string, input: ServerPatch) {
  authorize(actor, "servers.manage");
  const { endpoint, ...rest } = input;
  const ep = endpoint === undefined ? null : splitEndpoint(endpoint);
  await updateServer(actor, serverId, { ...rest, ...(ep ? { endpointHost: ep.host, endpointPort: ep.port } : {}) });
  return getServerForAdmin(actor, serverId);
}

/** Refused while the server has active peers: users would lose their tunnels. */
export async function deleteServer(actor: Actor, serverId: string) {
  authorize(actor, "servers.manage");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(wireguardPeers)
      .where(and(eq(wireguardPeers.serverId, serverId), eq(wireguardPeers.status, "active")));
    if (n > 0) throw new AppError("conflict", `The server still has ${n} active device(s); revoke or move them first`);
    await tx.delete(wireguardPeers).where(eq(wireguardPeers.serverId, serverId));
    const [row] = await tx.delete(vpnServers).where(eq(vpnServers.id, serverId)).returning({ id: vpnServers.id });
    if (!row) throw new AppError("not_found", "Server not found");
    await recordAudit(tx, actor, "server.deleted", { type: "vpn_server", id: serverId });
  });
}

/** Issues a new agent token; the old one stops working at once. */
export async function rotateAgentToken(actor: Actor, serverId: string): Promise<string> {
  authorize(actor, "servers.manage");
  const token = generateToken("swa");
  const db = await getDb();
  const [row] = await db
    .update(vpnServers)
    .set({ agentTokenHash: hashToken(token), agentTokenPrefix: token.slice(0, 10), updatedAt: new Date() })
    .where(eq(vpnServers.id, serverId))
    .returning({ id: vpnServers.id });
  if (!row) throw new AppError("not_found", "Server not found");
  await recordAudit(db, actor, "server.agent_token_rotated", { type: "vpn_server", id: serverId });
  return token;
}

/** Security-critical: resolves an agent token (swa_) to its server. */
export async function authenticateAgentToken(token: string): Promise<AgentActor | null> {
  const db = await getDb();
  const [row] = await db.select({ id: vpnServers.id }).from(vpnServers).where(eq(vpnServers.agentTokenHash, hashToken(token))).limit(1);
  return row ? { kind: "agent", serverId: row.id } : null;
}

/** Marks every server that holds one of the user's peers as changed (status changes, suspension). */
export async function bumpServersOfUser(db: DbOrTx, userId: string) {
  await db
    .update(vpnServers)
    .set({ configVersion: sql`${vpnServers.configVersion} + 1` })
    .where(sql`${vpnServers.id} in (select ${wireguardPeers.serverId} from ${wireguardPeers} where ${wireguardPeers.userId} = ${userId})`);
}
