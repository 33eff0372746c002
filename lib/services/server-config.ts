import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, vpnServers, wireguardPeers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { unseal } from "@/lib/crypto/seal";
import { serverConfig } from "@/lib/wireguard/config";

export type AgentConfigResult = { status: 200; text: string; etag: string } | { status: 304; etag: string };

/** Every key the server must accept: active peers of active accounts, on this server only. */
async function buildServerConfigText(serverId: string): Promise<{ text: string; version: number }> {
  const db = await getDb();
  const [server] = await db
    .select({ privateKeySealed: vpnServers.privateKeySealed, port: vpnServers.endpointPort, version: vpnServers.configVersion })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId));
  if (!server) throw new AppError("not_found", "Server not found");
  const peers = await db
    .select({ publicKey: wireguardPeers.publicKey, psk: wireguardPeers.presharedKeySealed, ipv4: wireguardPeers.ipv4, ipv6: wireguardPeers.ipv6 })
    .from(wireguardPeers)
    .innerJoin(users, eq(users.id, wireguardPeers.userId))
    .where(and(eq(wireguardPeers.serverId, serverId), eq(wireguardPeers.status, "active"), eq(users.status, "active")))
    .orderBy(wireguardPeers.hostIndex);
  const text = serverConfig({
    privateKey: unseal(server.privateKeySealed),
    listenPort: server.port,
    peers: peers.map((p) => ({ publicKey: p.publicKey, presharedKey: unseal(p.psk), allowedIps: [`${p.ipv4}/32`, `${p.ipv6}/128`] })),
  });
  return { text, version: server.version };
}

export function etagOf(text: string): string {
  return `"${createHash("sha256").update(text).digest("base64url").slice(0, 43)}"`;
}

/**
 * The agent's pull. When the stored ETag belongs to the current config
 * version and matches If-None-Match, answer 304 without rebuilding. Every
 * pull records the version the agent now runs, which frees the addresses
 * released before it.
 */
export async function agentConfig(serverId: string, ifNoneMatch: string | null): Promise<AgentConfigResult> {
  const db = await getDb();
  const [server] = await db
    .select({ version: vpnServers.configVersion, etag: vpnServers.configEtag, etagVersion: vpnServers.configEtagVersion })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId));
  if (!server) throw new AppError("not_found", "Server not found");

  const markPulled = (version: number) =>
    db
      .update(vpnServers)
      .set({ pulledVersion: sql`greatest(coalesce(${vpnServers.pulledVersion}, 0), ${version})`, lastConfigPullAt: new Date() })
      .where(eq(vpnServers.id, serverId));

  if (server.etag && server.etagVersion === server.version && ifNoneMatch && matches(ifNoneMatch, server.etag)) {
    await markPulled(server.version);
    return { status: 304, etag: server.etag };
  }
  const { text, version } = await buildServerConfigText(serverId);
  const etag = etagOf(text);
  await db
    .update(vpnServers)
    .set({ configEtag: etag, configEtagVersion: version, pulledVersion: sql`greatest(coalesce(${vpnServers.pulledVersion}, 0), ${version})`, lastConfigPullAt: new Date() })
    .where(and(eq(vpnServers.id, serverId), eq(vpnServers.configVersion, version)));
  if (ifNoneMatch && matches(ifNoneMatch, etag)) return { status: 304, etag };
  return { status: 200, text, etag };
}

function matches(header: string, etag: string): boolean {
  return header.split(",").some((t) => t.trim() === etag || t.trim() === "*");
}

/** For admins and tests: the config as the agent would get it. */
export async function serverConfigText(serverId: string): Promise<string> {
  return (await buildServerConfigText(serverId)).text;
}
