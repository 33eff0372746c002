import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { getDb, type DbOrTx } from "@/db/client";
import { preparedPer } from "@/db/prepared";
import { vpnServers, wireguardPeers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { unseal } from "@/lib/crypto/seal";
import { clientConfig, formatEndpoint } from "@/lib/wireguard/config";
import { configFileName } from "@/lib/wireguard/filename";
import { configQrPng, configQrSvg } from "@/lib/wireguard/qr";
import type { UserActor } from "@/lib/auth/actor";

export interface PeerConfig {
  text: string;
  filename: string;
  bringYourOwnKey: boolean;
}

/**
 * Security-critical: a device's config for its owner (the where clause holds
 * the owner). A bring-your-own-key device gets the config without
 * PrivateKey; its browser adds the key.
 */
export async function peerConfig(actor: UserActor, peerId: string): Promise<PeerConfig> {
  const [row] = await ownedConfigRow(await getDb()).execute({ peerId, userId: actor.id });
  return renderConfig(row);
}

/**
 * Security-critical: the config behind a one-time share link. The link takes
 * the place of the owner check, so call this only with the peer id returned
 * by the link's atomic redemption (lib/services/share-links), inside its
 * transaction.
 */
export async function sharedPeerConfig(db: DbOrTx, peerId: string): Promise<PeerConfig> {
  return assembleConfig(db, eq(wireguardPeers.id, peerId));
}

const configColumns = {
  deviceName: wireguardPeers.deviceName,
  status: wireguardPeers.status,
  privateKeySealed: wireguardPeers.privateKeySealed,
  presharedKeySealed: wireguardPeers.presharedKeySealed,
  ipv4: wireguardPeers.ipv4,
  ipv6: wireguardPeers.ipv6,
  serverPublicKey: vpnServers.publicKey,
  host: vpnServers.endpointHost,
  port: vpnServers.endpointPort,
  dns: vpnServers.dns,
  mtu: vpnServers.mtu,
};

type ConfigRow = Awaited<ReturnType<ReturnType<typeof configQuery>["execute"]>>[number];
const configQuery = (db: DbOrTx, where: SQL) =>
  db.select(configColumns).from(wireguardPeers).innerJoin(vpnServers, eq(vpnServers.id, wireguardPeers.serverId)).where(where).limit(1);

/** The owner's device (the where clause holds the owner), prepared once: every config and QR download runs it. */
const ownedConfigRow = preparedPer((db) =>
  configQuery(db, and(eq(wireguardPeers.id, sql.placeholder("peerId")), eq(wireguardPeers.userId, sql.placeholder("userId")))!).prepare("owned_config"),
);

async function assembleConfig(db: DbOrTx, where: SQL): Promise<PeerConfig> {
  const [row] = await configQuery(db, where);
  return renderConfig(row);
}

/** The one place a device's private key is unsealed; the query that found `row` is the caller's authorization. */
function renderConfig(row: ConfigRow | undefined): PeerConfig {
  if (!row) throw new AppError("not_found", "Device not found");
  if (row.status !== "active") throw new AppError("gone", "This device was revoked; its configuration no longer works");
  const text = clientConfig({
    privateKey: row.privateKeySealed ? unseal(row.privateKeySealed) : null,
    presharedKey: unseal(row.presharedKeySealed),
    ipv4: row.ipv4,
    ipv6: row.ipv6,
    dns: row.dns.split(",").map((d) => d.trim()).filter(Boolean),
    mtu: row.mtu,
    serverPublicKey: row.serverPublicKey,
    endpoint: formatEndpoint(row.host, row.port),
  });
  return { text, filename: configFileName(row.deviceName), bringYourOwnKey: !row.privateKeySealed };
}

async function qrConfigText(actor: UserActor, peerId: string): Promise<string> {
  const config = await peerConfig(actor, peerId);
  if (config.bringYourOwnKey) {
    throw new AppError("conflict", "This device keeps its private key on the device: its QR code is built in your browser");
  }
  return config.text;
}

/**
 * QR images already drawn, by a digest of the config they encode: a QR code
 * holds the private key, so it is kept in this process's memory only (never
 * in a shared or browser cache: the answer says no-store), and a changed
 * config (rotation, new server, new MTU) has a new digest. Drawing is most of
 * a QR answer's time; reading and unsealing the config still happen on every
 * request, so ownership and revocation are checked each time.
 */
const drawn = new LRUCache<string, Buffer>({ max: 512 });

export async function peerQrPng(actor: UserActor, peerId: string): Promise<Buffer> {
  const text = await qrConfigText(actor, peerId);
  const key = createHash("sha256").update(text).digest("base64url");
  let png = drawn.get(key);
  if (!png) {
    png = await configQrPng(text);
    drawn.set(key, png);
  }
  return png;
}

export async function peerQrSvg(actor: UserActor, peerId: string): Promise<string> {
  return configQrSvg(await qrConfigText(actor, peerId));
}
