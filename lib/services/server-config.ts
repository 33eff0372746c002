import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { eligiblePeerCondition } from "./config-eligibility";
import { AppError } from "@/lib/errors";
import { keyCheckValues, keyringGeneration, unseal } from "@/lib/crypto/seal";
import { SECUREWAVE_COMMENT, serverConfig, type ServerPeerInput } from "@/lib/wireguard/config";
import { pipelinedTransaction, statement } from "@/db/pipelined-transaction";
import { log } from "@/lib/log";

export type AgentConfigResult = { status: 200; text: string; etag: string } | { status: 304; etag: string };

/**
 * Rendered `[Peer]` sections per server, keyed by the line the database
 * answers for a key (public key, sealed preshared key, addresses). Unsealing
 * 10,000 preshared keys is most of a cold build (tweetnacl secretbox,
 * ~6-10 µs each), so a rebuild after a change unseals only the keys this
 * process has not seen. It is a cache, never a source: which keys a config
 * holds always comes from the database (the eligibility rule), anything
 * changed in a line misses, a section is dropped once its key leaves the
 * config, and a change of master keys empties it. Plaintext preshared keys
 * stay in memory only as the rendered config they are part of would; bounded
 * in total, the least recently built servers go first.
 */
const MAX_CACHED_SECTIONS = 100_000;
type Section = { text: string; build: number; unsealable?: string };
type ServerSections = { generation: string; build: number; byLine: Map<string, Section> };
const sectionCache = new Map<string, ServerSections>();

/**
 * Peers left out of each server's config by this process's last build of it,
 * because their preshared key would not open (sealed under a key this
 * instance does not hold, or a wrong one under the same id). One such peer
 * must not take the whole server down, so it is skipped, logged and shown
 * (GET /api/metrics, /admin/servers). Per process: another instance reports
 * what its own builds found.
 */
const unsealableByServer = new Map<string, string[]>();

/** Server id → the peers its last config build in this process left out (empty: none; absent: not built here). */
export function unsealablePeersByServer(): ReadonlyMap<string, readonly string[]> {
  return unsealableByServer;
}

/** Test hook: forget every cached section (e.g. to measure a first build). */
export function clearServerConfigCache(): void {
  sectionCache.clear();
}

function cacheFor(serverId: string): ServerSections {
  const generation = keyringGeneration();
  let entry = sectionCache.get(serverId);
  if (entry?.generation !== generation) entry = { generation, build: 0, byLine: new Map() };
  sectionCache.delete(serverId);
  sectionCache.set(serverId, entry);
  entry.build++;
  return entry;
}

function trimCache(): void {
  let total = 0;
  for (const e of sectionCache.values()) total += e.byLine.size;
  for (const [id, e] of sectionCache) {
    if (total <= MAX_CACHED_SECTIONS || sectionCache.size === 1) break;
    total -= e.byLine.size;
    sectionCache.delete(id);
  }
}

// `serverConfig` stays the one renderer: the config with no peers is the
// header, and a peer's section is what one peer adds to it, so header +
// sections is byte for byte `serverConfig` of all peers (tests pin this).
const PLACEHOLDER = { privateKey: "-", listenPort: 1 };
const EMPTY_LENGTH = serverConfig({ ...PLACEHOLDER, peers: [] }).length;
export function peerSection(peer: ServerPeerInput): string {
  return serverConfig({ ...PLACEHOLDER, peers: [peer] }).slice(EMPTY_LENGTH);
}

/**
 * Every key the server must accept: current keys and, during a rotation's
 * grace, old keys (with their old addresses), of eligible devices only, in
 * host index order. One text value, a line per key: parsing 10,000 rows
 * costs more than splitting one string.
 */
async function peerLines(db: DbOrTx, serverId: string): Promise<{ lines: string; throttles: string }> {
  const [row] = await rows<{ lines: string | null; throttles: string | null }>(
    db,
    sql`select string_agg(x.k || ' ' || x.psk || ' ' || x.v4 || ' ' || x.v6 || ' ' || x.i, E'\\n' order by x.h) as lines,
          (${throttleLines(serverId)}) as throttles
        from (
          select p.public_key as k, p.preshared_key_sealed as psk, p.ipv4 as v4, p.ipv6 as v6, p.id as i, p.host_index as h
          from wireguard_peers p join users u on u.id = p.user_id
          where p.server_id = ${serverId} and ${eligiblePeerCondition()}
          union all
          select k.public_key, k.preshared_key_sealed, k.ipv4, k.ipv6, p.id, k.host_index
          from peer_previous_keys k join wireguard_peers p on p.id = k.peer_id join users u on u.id = p.user_id
          where k.server_id = ${serverId} and k.retired_at is null and ${eligiblePeerCondition()}
            -- Never one key twice (wg setconf refuses it): peer_public_keys rules it out, and a current key wins.
            and not exists (select 1 from wireguard_peers w where w.public_key = k.public_key)
        ) x`,
  );
  return { lines: row?.lines ?? "", throttles: row?.throttles ?? "" };
}

/**
 * The throttles the agent enforces with tc, as comment lines `wg` skips:
 * `# securewave: throttle <ipv4>/32 <ipv6>/128 <rateKbit> <until, epoch seconds>`,
 * one per key the server accepts for a throttled user's device (an old key in
 * its grace period keeps its old addresses, so they are limited too). Starts
 * from the throttles in force (a handful, the partial index on until), never
 * from the server's peers. A throttle past `until` is left out at once, before
 * the expiry job records its end; the agent also drops a line whose `until`
 * has passed, so a throttle ends on time while the control plane is away.
 */
function throttleLines(serverId: string) {
  return sql`select string_agg(${THROTTLE_PREFIX}::text || y.v4 || '/32 ' || y.v6 || '/128 ' || y.rate || ' ' || y.until, E'\\n' order by y.h) from (
      select p.ipv4 as v4, p.ipv6 as v6, t.rate_kbit as rate, ceil(extract(epoch from t.until))::bigint as until, p.host_index as h
      from user_throttles t join wireguard_peers p on p.user_id = t.user_id join users u on u.id = p.user_id
      where t.lifted_at is null and t.until > now() and p.server_id = ${serverId} and ${eligiblePeerCondition()}
      union all
      select k.ipv4, k.ipv6, t.rate_kbit, ceil(extract(epoch from t.until))::bigint, k.host_index
      from user_throttles t join wireguard_peers p on p.user_id = t.user_id join users u on u.id = p.user_id
        join peer_previous_keys k on k.peer_id = p.id
      where t.lifted_at is null and t.until > now() and k.server_id = ${serverId} and k.retired_at is null and ${eligiblePeerCondition()}
        and not exists (select 1 from wireguard_peers w where w.public_key = k.public_key)
    ) y`;
}
const THROTTLE_PREFIX = `${SECUREWAVE_COMMENT}throttle `;

/** A peer's section, or why it has none: its preshared key does not open. Never logs the sealed value. */
function sectionOf(line: string, serverId: string): Section {
  // Keys, sealed values, addresses and ids hold no spaces.
  const [publicKey, psk, ipv4, ipv6, peerId] = line.split(" ") as [string, string, string, string, string];
  let presharedKey: string;
  try {
    presharedKey = unseal(psk);
  } catch {
    // Logged once per process and key generation (the failure is cached with the line); the metric and the admin notice last.
    log.error("server_config.unsealable_peer", { peerId, serverId });
    return { text: "", build: 0, unsealable: peerId };
  }
  return { text: peerSection({ publicKey, presharedKey, allowedIps: [`${ipv4}/32`, `${ipv6}/128`] }), build: 0 };
}

async function buildText(db: DbOrTx, serverId: string, server: { privateKeySealed: string; port: number; mtu: number }): Promise<{ text: string; unsealable: number }> {
  const { lines: text, throttles } = await peerLines(db, serverId);
  const lines = text === "" ? [] : text.split("\n");
  const cache = cacheFor(serverId);
  const unsealable: string[] = [];
  const parts = new Array<string>(lines.length + 1);
  // The throttle lines follow the interface's own (comments: `wg` skips them wherever they are).
  parts[0] = serverConfig({ privateKey: unseal(server.privateKeySealed), listenPort: server.port, mtu: server.mtu, peers: [] }) + (throttles ? `${throttles}\n` : "");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let section = cache.byLine.get(line);
    if (!section) {
      section = sectionOf(line, serverId);
      cache.byLine.set(line, section);
    }
    section.build = cache.build;
    parts[i + 1] = section.text;
    if (section.unsealable) unsealable.push(section.unsealable);
  }
  unsealableByServer.set(serverId, unsealable);
  if (cache.byLine.size > lines.length) for (const [line, s] of cache.byLine) if (s.build !== cache.build) cache.byLine.delete(line);
  trimCache();
  return { text: parts.join(""), unsealable: unsealable.length };
}

export function etagOf(text: string): string {
  return `"${createHash("sha256").update(text).digest("base64url").slice(0, 43)}"`;
}

function tagsOf(header: string | null): string[] {
  return header ? header.split(",").map((t) => t.trim()).filter(Boolean) : [];
}

/**
 * The agent's pull. When the stored ETag belongs to the current config
 * version and matches If-None-Match, answer 304 without rebuilding: one
 * round trip reads the server and stamps the pull. The stamp is only
 * informational (the admin's "last pull"), so its commit does not wait for
 * the disk (synchronous_commit off: a crash may forget the last stamps, never
 * anything that matters). Otherwise the config is built from a snapshot taken after
 * that version was read, so a stored ETag can be older than its content but
 * never newer.
 */
export async function agentConfig(serverId: string, ifNoneMatch: string | null): Promise<AgentConfigResult> {
  const db = await getDb();
  const tags = tagsOf(ifNoneMatch).join(",");
  const [, [server]] = (await pipelinedTransaction([asyncCommit({}), pullStatement({ serverId, tags })])) as [
    unknown,
    { version: string | number; etag: string | null; privateKeySealed: string; port: number; mtu: number; hit: boolean }[],
  ];
  if (!server) throw new AppError("not_found", "Server not found");
  if (server.hit && server.etag) return { status: 304, etag: server.etag };

  const version = Number(server.version);
  const { text, unsealable } = await buildText(db, serverId, server);
  const etag = etagOf(text);
  // Not worth waiting for the disk either: a lost ETag only makes the next pull rebuild, and the
  // agent's confirmation of an applied config then waits for that pull (addresses stay held, never freed early).
  // A config missing unsealable peers is stamped one version short: no pull answers 304 without
  // rebuilding it (once the right key is back, the peers return without a config change), and its
  // confirmation frees only what the previous version had released.
  const stamp = unsealable > 0 ? version - 1 : version;
  await pipelinedTransaction([asyncCommit({}), storeEtag({ serverId, etag, version, stamp })]);
  if (tagsOf(ifNoneMatch).some((t) => t === etag || t === "*")) return { status: 304, etag };
  return { status: 200, text, etag };
}

const asyncCommit = statement(() => sql`set local synchronous_commit = off`);
const pullStatement = statement<"serverId" | "tags">(
  (p) => sql`with s as (
      select id, config_version, config_etag, config_etag_version, private_key_sealed, endpoint_port, mtu from vpn_servers where id = ${p.serverId}
    ), hit as (
      update vpn_servers v set last_config_pull_at = now() from s
      where v.id = s.id and s.config_etag is not null and s.config_etag_version = s.config_version
        and (s.config_etag = any(string_to_array(${p.tags}, ',')) or '*' = any(string_to_array(${p.tags}, ',')))
        -- A throttle of this server's devices that has ended but whose end the expiry job has not recorded yet
        -- (which bumps the version): rebuild, so it stops being served the moment it ends.
        and not exists (
          select 1 from user_throttles t where t.lifted_at is null and t.until <= now()
            and exists (select 1 from wireguard_peers p where p.user_id = t.user_id and p.server_id = s.id))
      returning v.id
    )
    select s.config_version as version, s.config_etag as etag, s.private_key_sealed as "privateKeySealed", s.endpoint_port as port, s.mtu,
      exists (select 1 from hit) as hit
    from s`,
);

const storeEtag = statement<"serverId" | "etag" | "version" | "stamp">(
  (p) => sql`update vpn_servers set config_etag = ${p.etag}, config_etag_version = ${p.stamp}::bigint, last_config_pull_at = now()
    where id = ${p.serverId} and config_version = ${p.version}::bigint`,
);

/** For admins and tests: the config as the agent would get it. */
export async function serverConfigText(serverId: string): Promise<string> {
  const db = await getDb();
  const [server] = await db
    .select({ privateKeySealed: vpnServers.privateKeySealed, port: vpnServers.endpointPort, mtu: vpnServers.mtu })
    .from(vpnServers)
    .where(eq(vpnServers.id, serverId));
  if (!server) throw new AppError("not_found", "Server not found");
  return (await buildText(db, serverId, server)).text;
}

/**
 * For the admin page: how many devices each server leaves out. A server this
 * process has built uses what the build found; any other is counted in one
 * set-based statement (current and in-grace keys sealed under a key id that
 * is not configured), so the page never builds configs or unseals anything.
 * A value sealed under a configured id but another key cannot exist once the
 * start-up key check has passed.
 */
export async function unsealablePeerCounts(serverIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const unbuilt = serverIds.filter((id) => {
    const found = unsealableByServer.get(id);
    if (found === undefined) return true;
    if (found.length > 0) counts.set(id, found.length);
    return false;
  });
  if (unbuilt.length === 0) return counts;
  const ids = JSON.stringify(keyCheckValues().map((k) => k.keyId));
  const db = await getDb();
  const found = await rows<{ server_id: string; n: number }>(
    db,
    sql`select server_id, count(*)::int as n from (
          select server_id, preshared_key_sealed as psk from wireguard_peers
          union all
          select server_id, preshared_key_sealed from peer_previous_keys where retired_at is null
        ) k
        where server_id in (select jsonb_array_elements_text(${JSON.stringify(unbuilt)}::jsonb))
          and split_part(psk, '.', 2) not in (select jsonb_array_elements_text(${ids}::jsonb))
        group by server_id`,
  );
  for (const r of found) counts.set(r.server_id, Number(r.n));
  return counts;
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
