import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { DeviceType, PeerStatus } from "@/db/schema";
import { PEER_LIST_STATUSES } from "@/lib/validation/admin-lists";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { formatIpv6, isIpv4, parseIpv6 } from "@/lib/wireguard/addresses";
import { HEALTHY_WITHIN_MS } from "@/lib/vpn/health";
import { isoOrNull } from "@/lib/format/instant";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";

/**
 * Every device of every account, for administrators (/admin/peers,
 * GET /api/admin/peers, the devices export). Never a private or preshared key.
 */
export interface AdminPeerDto {
  id: string;
  userId: string;
  ownerEmail: string;
  deviceName: string;
  deviceType: DeviceType;
  serverId: string;
  serverName: string;
  ipv4: string;
  ipv6: string;
  publicKey: string;
  status: PeerStatus;
  /** Active with a handshake within the last 3 minutes (as the peer statistics count "online now"). */
  online: boolean;
  lastHandshakeAt: string | null;
  createdAt: string;
}

/** `status` takes the peer statuses, and `online` / `offline` (active devices with or without a recent handshake). */
export const ADMIN_PEER_STATUS_FILTERS = PEER_LIST_STATUSES;
export type AdminPeerStatusFilter = (typeof PEER_LIST_STATUSES)[number];

export interface AdminPeerFilters {
  q?: string;
  serverId?: string;
  status?: AdminPeerStatusFilter;
  cursor?: string | null;
  limit?: number;
}

/**
 * What a search text is looked up as. A whole address or a whole public key
 * is an exact match (one index probe); anything else matches the start of an
 * owner's email, a device name, a public key or an address. Prefixes, not
 * substrings: `like 'text%'` on the indexed expressions stays an index range
 * at any size, where `%text%` reads every row (see docs/decisions on admin
 * search). Case-insensitive except for public keys, which are base64.
 */
export type PeerQuery =
  | { kind: "ipv4"; value: string }
  | { kind: "ipv6"; value: string }
  | { kind: "key"; value: string }
  | { kind: "prefix"; lower: string; raw: string };

const KEY_RE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function classifyPeerQuery(input: string): PeerQuery | null {
  // Control characters match nothing stored, and a NUL byte would be a database error: spaces, as the ticket search does (pages pass the text as typed).
  const q = input.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, 200);
  if (!q) return null;
  const bare = q.replace(/\/(32|128)$/, "");
  if (isIpv4(bare)) return { kind: "ipv4", value: bare };
  const v6 = bare.includes(":") ? parseIpv6(bare) : null;
  if (v6 !== null) return { kind: "ipv6", value: formatIpv6(v6) };
  if (KEY_RE.test(q)) return { kind: "key", value: q };
  return { kind: "prefix", lower: q.toLowerCase(), raw: q };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The search as alternatives, each a condition one index answers: the page
 * is the newest rows of each alternative (LIMITed on its own, so a broad
 * prefix walks the creation order and stops, a narrow one probes its index),
 * merged. Email conditions need the owner's row (`u`).
 */
function searchBranches(query: PeerQuery): { where: SQL; owner?: boolean }[] {
  switch (query.kind) {
    case "ipv4":
      return [{ where: sql`p.ipv4 = ${query.value}` }];
    case "ipv6":
      return [{ where: sql`p.ipv6 = ${query.value}` }];
    case "key":
      // Its current key, or an old one still in (or past) its grace period.
      return [{ where: sql`p.public_key = ${query.value}` }, { where: sql`p.id in (select peer_id from peer_public_keys where public_key = ${query.value})` }];
    case "prefix": {
      const lower = `${escapeLike(query.lower)}%`;
      const raw = `${escapeLike(query.raw)}%`;
      const branches: { where: SQL; owner?: boolean }[] = [
        { where: sql`lower(u.email) like ${lower}`, owner: true },
        { where: sql`lower(p.device_name) like ${lower}` },
        { where: sql`p.public_key like ${raw}` },
      ];
      if (/^[0-9.]+$/.test(query.lower)) branches.push({ where: sql`p.ipv4 like ${lower}` });
      if (/^[0-9a-f:]+$/.test(query.lower) && query.lower.includes(":")) branches.push({ where: sql`p.ipv6 like ${lower}` });
      return branches;
    }
  }
}

/** The search as one condition on `p`, for statements that page otherwise (the CSV export). */
export function peerSearchCondition(q: string | undefined): SQL | undefined {
  const query = q ? classifyPeerQuery(q) : null;
  if (!query) return undefined;
  const ids = searchBranches(query).map(
    (b) => sql`select p.id from wireguard_peers p ${b.owner ? sql`join users u on u.id = p.user_id` : sql``} where ${b.where}`,
  );
  return sql`p.id in (${sql.join(ids, sql` union `)})`;
}

const createdKey = timestampKey(sql`p.created_at`);

export const onlineSince = sql`now() - make_interval(secs => ${HEALTHY_WITHIN_MS / 1000})`;

/** The status filter as a condition on `p` (the device) and `l` (its peer_live_stats row). */
export function statusWhere(status: AdminPeerStatusFilter | undefined): SQL | undefined {
  switch (status) {
    case "active":
    case "revoked":
      return sql`p.status = ${status}`;
    case "online":
      return sql`p.status = 'active' and l.last_handshake_at >= ${onlineSince}`;
    case "offline":
      return sql`p.status = 'active' and (l.last_handshake_at is null or l.last_handshake_at < ${onlineSince})`;
    default:
      return undefined;
  }
}

type Row = Omit<AdminPeerDto, "createdAt" | "lastHandshakeAt" | "online"> & { createdAt: Date | string; lastHandshakeAt: Date | string | null; online: boolean | string; key: string };

const iso = (v: Date | string) => new Date(v).toISOString();

/**
 * One page of devices, newest first, keyset-paginated on (created_at, id).
 * The filters are conditions of one statement; `after` continues a page.
 */
async function selectAdminPeers(f: Omit<AdminPeerFilters, "cursor"> & { after?: { at: string; id: string } | null }, limit: number): Promise<Row[]> {
  const query = f.q ? classifyPeerQuery(f.q) : null;
  const common = [
    f.serverId ? sql`p.server_id = ${f.serverId}` : undefined,
    statusWhere(f.status),
    f.after ? sql`(p.created_at, p.id) < (${f.after.at}::timestamptz, ${f.after.id})` : undefined,
  ].filter((c): c is SQL => !!c);
  const live = f.status === "online" || f.status === "offline" ? sql`left join peer_live_stats l on l.peer_id = p.id` : sql``;
  const branch = ({ where, owner }: { where?: SQL; owner?: boolean }) => {
    const all = where ? [where, ...common] : common;
    return sql`(select p.id, p.created_at from wireguard_peers p ${owner ? sql`join users u on u.id = p.user_id` : sql``} ${live}
                ${all.length ? sql`where ${sql.join(all, sql` and `)}` : sql``}
                order by p.created_at desc, p.id desc limit ${limit})`;
  };
  const page = query ? sql.join(searchBranches(query).map(branch), sql` union `) : branch({});
  const db = await getDb();
  return rows<Row>(
    db,
    sql`select p.id, p.user_id as "userId", u.email as "ownerEmail", p.device_name as "deviceName", p.device_type as "deviceType",
          p.server_id as "serverId", s.name as "serverName", p.ipv4, p.ipv6, p.public_key as "publicKey", p.status,
          (p.status = 'active' and coalesce(l.last_handshake_at >= ${onlineSince}, false)) as online,
          l.last_handshake_at as "lastHandshakeAt", p.created_at as "createdAt", ${createdKey} as key
        from (select id from (${page}) m order by m.created_at desc, m.id desc limit ${limit}) m
        join wireguard_peers p on p.id = m.id
        join users u on u.id = p.user_id
        join vpn_servers s on s.id = p.server_id
        left join peer_live_stats l on l.peer_id = p.id
        order by p.created_at desc, p.id desc`,
  );
}

function toAdminPeerDto(r: Row): AdminPeerDto {
  return {
    id: r.id,
    userId: r.userId,
    ownerEmail: r.ownerEmail,
    deviceName: r.deviceName,
    deviceType: r.deviceType,
    serverId: r.serverId,
    serverName: r.serverName,
    ipv4: r.ipv4,
    ipv6: r.ipv6,
    publicKey: r.publicKey,
    status: r.status,
    online: r.online === true || r.online === "true" || r.online === "t",
    // A handshake stored before the dump parser range-checked it may be past what JavaScript holds: null, never a throw.
    lastHandshakeAt: isoOrNull(r.lastHandshakeAt),
    createdAt: iso(r.createdAt),
  };
}

/** GET /api/admin/peers and /admin/peers: `{items, nextCursor}`. */
export async function listPeersForAdmin(actor: Actor, f: AdminPeerFilters = {}): Promise<{ items: AdminPeerDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "admin.view");
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const after = f.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(f.cursor, ["time", "id"] as const)) : null;
  const found = await selectAdminPeers({ ...f, after }, limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toAdminPeerDto), nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null };
}
