import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { peerPreviousKeys, users, vpnServers, wireguardPeers } from "@/db/schema";
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
  // During a rotation's grace the old key keeps its old addresses, so both keys connect.
  const previous = await db
    .select({ publicKey: peerPreviousKeys.publicKey, psk: peerPreviousKeys.presharedKeySealed, ipv4: peerPreviousKeys.ipv4, ipv6: peerPreviousKeys.ipv6 })
    .from(peerPreviousKeys)
    .innerJoin(wireguardPeers, eq(wireguardPeers.id, peerPreviousKeys.peerId))
    .innerJoin(users, eq(users.id, wireguardPeers.userId))
    .where(and(eq(peerPreviousKeys.serverId, serverId), isNull(peerPreviousKeys.retiredAt), eq(wireguardPeers.status, "active"), eq(users.status, "active")))
    .orderBy(peerPreviousKeys.hostIndex);
  const text = serverConfig({
    privateKey: unseal(server.privateKeySealed),
    listenPort: server.port,
    peers: [...peers, ...previous].map((p) => ({ publicKey: p.publicKey, presharedKey: unseal(p.psk), allowedIps: [`${p.ipv4}/32`, `${p.ipv6}/128`] })),
  });
  return { text, version: server.version };
}

export function etagOf(text: string): string {
  return `"${createHash("sha256").update(text).digest("base64url").slice(0, 43)}"`;
}

/**
 * The agent's pull. When the stored ETag belongs to the current config
 * version and matches If-None-Match, answer 304 without rebuilding.
 */
export async function agentConfig(serverId: string, ifNoneMatch: string | null): Promise<AgentConfigResult> {
  const db = await getDb();
  const [server] = await db
    .select({ version: vpnServers.configVersion, etag: vpnServers.configEtag, etagVersion: vpnServers.configEtagVersion })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId));
  if (!server) throw new AppError("not_found", "Server not found");

  if (server.etag && server.etagVersion === server.version && ifNoneMatch && matches(ifNoneMatch, server.etag)) {
    await db.update(vpnServers).set({ lastConfigPullAt: new Date() }).where(eq(vpnServers.id, serverId));
    return { status: 304, etag: server.etag };
  }
  const { text, version } = await buildServerConfigText(serverId);
  const etag = etagOf(text);
  await db
    .update(vpnServers)
    .set({ configEtag: etag, configEtagVersion: version, lastConfigPullAt: new Date() })
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

/**
 * The agent reports the ETag of the config live on its interface with each
 * push. Only then are addresses released before that config's version free
 * for new devices: a downloaded config that failed to apply frees nothing.
 */
export async function confirmAppliedConfig(serverId: string, appliedEtag: string | null): Promise<boolean> {
  if (!appliedEtag) return false;
  const db = await getDb();
  const updated = await db
    .update(vpnServers)
    .set({ pulledVersion: sql`greatest(coalesce(${vpnServers.pulledVersion}, 0), ${vpnServers.configEtagVersion})` })
    .where(and(eq(vpnServers.id, serverId), eq(vpnServers.configEtag, appliedEtag.trim())))
    .returning({ id: vpnServers.id });
  return updated.length > 0;
}
