import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { eligiblePeerCondition } from "./config-eligibility";
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
  // Current keys and, during a rotation's grace, old keys (with their old addresses), of eligible devices only.
  const peers = await rows<{ publicKey: string; psk: string; ipv4: string; ipv6: string }>(
    db,
    sql`select p.public_key as "publicKey", p.preshared_key_sealed as psk, p.ipv4, p.ipv6, p.host_index as h
        from wireguard_peers p join users u on u.id = p.user_id
        where p.server_id = ${serverId} and ${eligiblePeerCondition()}
        union all
        select k.public_key, k.preshared_key_sealed, k.ipv4, k.ipv6, k.host_index
        from peer_previous_keys k join wireguard_peers p on p.id = k.peer_id join users u on u.id = p.user_id
        where k.server_id = ${serverId} and k.retired_at is null and ${eligiblePeerCondition()}
        order by h`,
  );
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
